"""Public pages while large sign-ups upload photos: does photo processing stall the site? (issue 8 §7)

    python -m bench.uploads [--before REF] [--after REF] [--signups 6] [--seconds 20] [--workers 3] [--threads 1]

1. (Re)uses the database `localdir_bench_uploads` on 127.0.0.1:5432: migrated, French places, 2,000 demo listings
   in Maine-et-Loire (49).
2. For each code version measured (--before REF, then --after REF or else the working tree; a commit's code is
   run with today's bench/ settings), collects its static files and starts gunicorn (DEBUG off), then:
   - idle: the department page and /bench/ceiling/ (the cheapest Django response) are requested --rate times a
     second each, on new connections, whatever the answers' delays (open loop: a request stuck behind an upload
     counts with its whole wait, which a closed-loop tool such as wrk would not measure); then wrk finds the
     page's throughput with --connections keep-alive connections;
   - loaded: --signups threads each send sign-ups back to back (GET the form, POST it with six 40-megapixel
     JPEGs, about 45 MB), and the same two URLs are requested at the same rate meanwhile.
3. Prints p50/p95 of each URL, the p95 as a multiple of the ceiling's in the same run, the idle throughput and
   size of the page, the sign-ups done and how they were answered, and each worker's peak memory (VmRSS).
Goal: department page p95 under 200 ms during the load, on 2 cores. See docs/moderation.md.
"""

import argparse
import http.client
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.pages.server import BASE_DIR, PG, fetch, free_port, log, manage, percentile, start_gunicorn, stop

DEPARTMENT = "49"
LISTINGS = 2_000
PHOTOS = 6
CAMERA = (7728, 5152)  # a 40-megapixel camera
PAGE_P95_MS = 200
WRK = "/usr/bin/wrk"
# wrk's own summary has no p95: print the figures as one parsable line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f %d\\n", summary.requests, summary.bytes,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.duration))
end
"""


def prepare(env, database):
    import psycopg

    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            connection.execute(f'CREATE DATABASE "{database}"')
            log(f"Created database {database}.")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_places", "-v", "0")
    manage(env, "seed_demo", "--departments", DEPARTMENT, "--count", str(LISTINGS), "--if-empty", "--seed", "1")


def camera_jpeg():
    """A 40-megapixel JPEG with detail in it (gradient under noise), about 7 MB like a camera's."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize(CAMERA).convert("RGB")
    noise = Image.effect_noise((CAMERA[0] // 4, CAMERA[1] // 4), 40).resize(CAMERA).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(gradient, noise, 0.5).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def checkout(ref, into):
    """The code of commit `ref` in `into`, with today's bench/ (settings, ceiling view) over it."""
    archive = subprocess.run(["git", "archive", ref], cwd=BASE_DIR, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    for path in (BASE_DIR / "bench").glob("*.py"):
        (Path(into) / "bench" / path.name).write_bytes(path.read_bytes())
    return Path(into)


# Load.


class SignUps:
    """`count` threads sending large sign-ups back to back until stopped."""

    def __init__(self, port, count, photo):
        self.port, self.count, self.photo = port, count, photo
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.latencies, self.outcomes = [], {}
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def run(self):
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                outcome = self.sign_up()
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
            with self.lock:
                self.latencies.append(time.perf_counter() - started)
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def sign_up(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", "/inscrire/")
            response = connection.getresponse()
            page = response.read().decode()
            if response.status != 200:
                return f"form page {response.status}"
            cookie = response.getheader("Set-Cookie", "").split(";")[0]
            fields = {
                name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
                for name in ("csrfmiddlewaretoken", "started")
            }
            fields.update(
                {
                    "name": f"Ferme {uuid.uuid4().hex[:8]}",
                    "kind": "producer",
                    "categories": re.search(r'name="categories" value="([^"]+)"', page).group(1),
                    "short_description": "Légumes de saison",
                    "commune": "Angers (49)",
                    "postal_code": "49000",
                    "email": "bench@example.org",
                    "opening_hours": "Mo-Fr 09:00-18:00",
                    "image_rights": "on",
                }
            )
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for name, value in fields.items():
                body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for n in range(1, PHOTOS + 1):
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="photo_{n}"; filename="IMG_{n}.jpg"\r\n'
                    "Content-Type: image/jpeg\r\n\r\n".encode()
                )
                body.write(self.photo + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            connection.request(
                "POST",
                "/inscrire/",
                body=body.getvalue(),
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Cookie": cookie,
                    "Referer": f"http://127.0.0.1:{self.port}/inscrire/",
                },
            )
            response = connection.getresponse()
            answer = response.read().decode(errors="replace")
            if response.status == 302:
                return "302 stored"
            if response.status == 200 and "Le serveur traite d’autres photos" in answer:
                return "200 busy, form back"
            if response.status == 200 and "field-error" in answer:
                return "200 form errors"
            return str(response.status)
        finally:
            connection.close()

    def summary(self):
        latencies = sorted(self.latencies)
        return len(latencies), percentile(latencies, 50), percentile(latencies, 95), dict(self.outcomes)


def wrk(port, path, seconds, connections):
    """Start wrk on `path`; returns the process (read its result with wrk_result)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(WRK_SCRIPT)
    script.close()
    return subprocess.Popen(
        [
            WRK,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}{path}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def wrk_result(process):
    output, _ = process.communicate()
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, size, errors, p50, p95, duration_us = line.split()[1:]
    return {
        "requests": int(requests),
        "bytes": int(size) / max(int(requests), 1),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "rps": int(requests) / (int(duration_us) / 1e6),
    }


def sample(port, path, seconds, rate, results):
    """Open loop: a GET of `path` every 1/rate s on a new connection, each timed to its answer (or its failure)."""

    def one():
        started = time.perf_counter()
        try:
            status, _, body = fetch(port, path)
            outcome = status
        except (OSError, http.client.HTTPException) as error:
            outcome, body = type(error).__name__, b""
        results.append((time.perf_counter() - started, outcome, len(body)))

    threads = []
    start = time.monotonic()
    for n in range(int(seconds * rate)):
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
        thread = threading.Thread(target=one, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()


def summarise(results):
    latencies = sorted(latency for latency, _, _ in results)
    return {
        "requests": len(results),
        "errors": sum(1 for _, outcome, _ in results if outcome != 200),
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "bytes": max((size for _, _, size in results), default=0),
    }


def measure(port, department_url, seconds, rate):
    """The page and the ceiling sampled at the same time."""
    page, ceiling = [], []
    threads = [
        threading.Thread(target=sample, args=(port, department_url, seconds, rate, page)),
        threading.Thread(target=sample, args=(port, "/bench/ceiling/", seconds, rate, ceiling)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"page": summarise(page), "ceiling": summarise(ceiling)}


class MemoryWatch:
    """The largest resident memory (VmRSS) seen for each gunicorn worker, sampled twice a second: a worker killed
    for a timeout is counted before it goes."""

    def __init__(self, server):
        self.server, self.peaks, self.stopping = server, {}, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopping.wait(0.5):
            try:
                children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
            except OSError:
                continue
            for pid in children:
                try:
                    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
                except OSError:
                    continue
                if match:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), int(match.group(1)) // 1024)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.thread.join()


def run_version(label, code_dir, env, args, photo, department_url):
    port = free_port()
    extra = ["--threads", str(args.threads)] if args.threads > 1 else []
    server = start_gunicorn(env, port, args.workers, chdir=code_dir, settings="bench.upload_settings", extra=extra)
    try:
        idle = measure(port, department_url, args.idle_seconds, args.rate)
        throughput = wrk_result(wrk(port, department_url, args.idle_seconds, args.connections))
        signups = SignUps(port, args.signups, photo)
        with MemoryWatch(server) as memory:
            signups.start()
            time.sleep(1)  # the first bodies are on their way before measuring
            loaded = measure(port, department_url, args.seconds, args.rate)
            load_average = os.getloadavg()[0]
            signups.stop()
    finally:
        stop(server)
    return {
        "label": label,
        "idle": idle,
        "loaded": loaded,
        "throughput": throughput,
        "signups": signups.summary(),
        "memory": sorted(memory.peaks.values(), reverse=True),
        "load": load_average,
    }


def report(results, args):
    log("")
    log(
        f"gunicorn {args.workers} workers x {args.threads} thread(s); {args.signups} concurrent sign-ups of"
        f" {PHOTOS} photos of {CAMERA[0] * CAMERA[1] / 1e6:.0f} MP; {args.rate} requests/s per URL"
    )
    log(
        f"{'code':<12} {'state':<7} {'URL':<8} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'err':>4}"
        "  p95 / ceiling p95"
    )
    for result in results:
        for state in ("idle", "loaded"):
            figures = result[state]
            for name in ("page", "ceiling"):
                f = figures[name]
                ratio = f["p95"] / figures["ceiling"]["p95"] if figures["ceiling"]["p95"] else float("nan")
                log(
                    f"{result['label']:<12} {state:<7} {name:<8} {f['requests']:>8} {f['p50']:>8.1f} {f['p95']:>8.1f}"
                    f" {f['max']:>8.1f} {f['errors']:>4}  {ratio:.1f}x"
                )
        throughput = result["throughput"]
        done, p50, p95, outcomes = result["signups"]
        log(
            f"{result['label']:<12} idle page: {throughput['rps']:.0f} req/s with {args.connections} connections,"
            f" {result['idle']['page']['bytes']:,} bytes"
        )
        log(
            f"{result['label']:<12} sign-ups: {done} answered, p50 {p50:.1f} s, p95 {p95:.1f} s, {outcomes};"
            f" workers' peak memory {result['memory']} MB (per worker process seen);"
            f" load average {result['load']:.1f}"
        )
    log("")
    for result in results:
        p95 = result["loaded"]["page"]["p95"]
        verdict = "PASS" if p95 < PAGE_P95_MS else "FAIL"
        log(f"{verdict}  {result['label']}: department page p95 under load {p95:.0f} ms (goal < {PAGE_P95_MS} ms)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="localdir_bench_uploads")
    parser.add_argument("--before", metavar="REF", help="also measure the code of this git commit, first")
    parser.add_argument("--after", metavar="REF", help="measure this commit's code instead of the working tree")
    parser.add_argument("--signups", type=int, default=6, help="concurrent sign-ups (default 6)")
    parser.add_argument("--seconds", type=int, default=20, help="length of the loaded measure (default 20)")
    parser.add_argument("--idle-seconds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=5, help="requests per second per URL (default 5)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections, idle (default 2)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1: sync)")
    args = parser.parse_args()

    media_root = Path(tempfile.mkdtemp(prefix="localdir_bench_media_"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{args.database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    prepare(env, args.database)
    department_url = (
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from producers.models import Department;"
            f" print(Department.objects.get(code={DEPARTMENT!r}).get_absolute_url())",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )
    photo = camera_jpeg()
    log(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; photo {len(photo) / 1e6:.1f} MB;"
        f" public page {department_url}"
    )

    results = []
    with tempfile.TemporaryDirectory(prefix="localdir_bench_code_") as scratch:
        versions = []
        for ref in (args.before, args.after):
            if ref:
                versions.append((ref[:10], checkout(ref, Path(scratch) / ref.replace("/", "_"))))
        if not args.after:
            versions.append(("this tree", BASE_DIR))
        for label, code_dir in versions:
            log(f"Measuring {label} ...")
            code_env = {**env, "PYTHONPATH": str(code_dir), "STATIC_ROOT": str(Path(scratch) / f"static-{label}")}
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                env=code_env,
                cwd=code_dir,
                check=True,
            )
            results.append(run_version(label, code_dir, code_env, args, photo, department_url))
    report(results, args)
    subprocess.run(["rm", "-rf", str(media_root)], check=False)
    return 0 if results[-1]["loaded"]["page"]["p95"] < PAGE_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
