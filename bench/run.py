"""Load benchmark of the public pages on PostgreSQL with 100,000 listings, against the performance budgets.

    python bench/run.py [--reuse] [--requests 400] [--clients 4] [--workers 3]

1. (Re)creates the database `localdir_bench` on 127.0.0.1:5432 (user postgres), migrates, loads the French
   places and seeds 100,000 demo listings over France, then tops Maine-et-Loire (49) up to ~2,000 published
   listings: the department whose GeoJSON budget is measured. --reuse keeps an existing database.
2. collectstatic, then gunicorn with production settings (DEBUG off) on a free port of 127.0.0.1, with
   bench.settings, which adds /bench/ceiling/: the cheapest Django response, the ceiling to compare against.
3. From this process, --clients threads with keep-alive connections send a fixed number of requests per URL;
   prints p50/p95 latency and requests/s per URL, the GeoJSON size, PASS/FAIL per budget, and an in-process
   profile (queries, SQL time) of each URL. gunicorn is always stopped, whatever happens.
Exits 1 when a budget fails. See docs/performance.md.
"""

import argparse
import gzip
import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
LISTINGS = 100_000
GEOJSON_DEPARTMENT = "49"
GEOJSON_DEPARTMENT_LISTINGS = 2_000
PENDING_SHARE = 0.02  # seed_demo leaves about 2% pending

PAGE_P95_MS = 100
GEOJSON_P95_MS = 100
GEOJSON_GZIP_BYTES = 100_000
THROUGHPUT_SHARE_OF_CEILING = 0.40


def log(message):
    print(message, flush=True)


def manage(env, *args, capture=False):
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    result = subprocess.run(command, env=env, cwd=BASE_DIR, check=True, text=True, capture_output=capture)
    return result.stdout if capture else None


def django_query(env, code):
    """Run `code` in `manage.py shell` and return what it prints as JSON (keeps this process free of Django)."""
    return json.loads(manage(env, "shell", "-v", "0", "-c", code, capture=True).strip().splitlines()[-1])


# 1. Data.


def prepare_database(database, reuse):
    import psycopg

    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and reuse:
            log(f"Reusing database {database}.")
            return False
        if exists:
            others = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]
            ).fetchone()[0]
            if others:
                sys.exit(f"{database} is in use by {others} other session(s): close them, or run with --reuse.")
            connection.execute(f'DROP DATABASE "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
        log(f"Created database {database}.")
        return True


def seed(env, database, listings):
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v", "0")
    log(f"  migrate: {time.monotonic() - started:.0f} s")
    step = time.monotonic()
    manage(env, "load_places", "-v", "0")
    log(f"  load_places: {time.monotonic() - step:.0f} s")
    step = time.monotonic()
    manage(env, "seed_demo", "--all-france", "--count", str(listings), "--if-empty", "--seed", "1")
    log(f"  seed_demo --all-france --count {listings}: {time.monotonic() - step:.0f} s")

    published_in_department = django_query(
        env,
        "import json; from producers.models import Listing; "
        f"print(Listing.objects.published().filter(department__code='{GEOJSON_DEPARTMENT}').count())",
    )
    missing = GEOJSON_DEPARTMENT_LISTINGS - published_in_department
    if missing > 0:
        extra = math.ceil(missing / (1 - PENDING_SHARE))
        manage(env, "seed_demo", "--departments", GEOJSON_DEPARTMENT, "--count", str(extra), "--seed", "2", "-v", "0")
        log(f"  topped department {GEOJSON_DEPARTMENT} up with {extra} listings")
    # Autovacuum may be off (it is on the benchmark machine) or late: measure with the statistics and visibility
    # map a production database would have.
    import psycopg

    with psycopg.connect(**PG, dbname=database, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    log(f"Data ready in {time.monotonic() - started:.0f} s.")


def targets(env):
    """The URLs to measure, read from the database."""
    return django_query(
        env,
        f"""
import json
from django.db.models import Count
from producers.models import Category, Department, Listing
department = Department.objects.get(code={GEOJSON_DEPARTMENT!r})
listings = Listing.objects.published()
in_department = listings.in_department(department)
category = (
    Category.objects.filter(listings__in=in_department).annotate(n=Count("pk")).order_by("-n").first()
)
listing = in_department.order_by("pk")[in_department.count() // 2]
url = department.get_absolute_url()
print(json.dumps({{
    "department": url,
    "filtered": f"{{url}}?commune=49007&distance=20&category={{category.slug}}",
    "listing": listing.get_absolute_url(),
    "geojson": f"{{url}}carte.geojson",
    "ceiling": "/bench/ceiling/",
    "listings": listings.count(),
    "department_listings": in_department.count(),
    "category": category.slug,
}}))
""",
    )


# 2. Server.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers, chdir=BASE_DIR, settings="bench.settings", extra=()):
    """gunicorn serving the code in `chdir` (another checkout can be measured) with the given settings module."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "localdir.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--env",
        f"DJANGO_SETTINGS_MODULE={settings}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        "--timeout",
        "60",
        *extra,
    ]
    server = subprocess.Popen(command, env=env, cwd=chdir, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            status, _, _ = fetch(port, "/bench/ceiling/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# 3. Load.


def fetch(port, path, connection=None, gzip_ok=True):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Encoding", ""), body
    finally:
        if own:
            connection.close()


def load(port, path, requests, clients, deadline):
    """`requests` GETs of `path` shared by `clients` threads, each on its own keep-alive connection."""
    latencies, errors, lock = [], [], threading.Lock()
    remaining = iter(range(requests))

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            fetch(port, path, connection)  # warm-up: connection, worker caches
            while time.monotonic() < deadline:
                with lock:
                    if next(remaining, None) is None:
                        return
                started = time.perf_counter()
                try:
                    status, _, _ = fetch(port, path, connection)
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = repr(error)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "rps": len(latencies) / wall if wall else 0.0,
    }


def percentile(values, p):
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def geojson_size(port, path):
    status, encoding, body = fetch(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    if encoding == "gzip":
        return len(gzip.decompress(body)), len(body), "served gzipped"
    return len(body), len(gzip.compress(body, 6)), "NOT gzipped by the server: gzipped here (level 6)"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def environment(database, static_root=None):
    """Production settings (DEBUG off, no Redis: local-memory cache) on `database`, for manage.py and gunicorn."""
    static_root = static_root or Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/localdir_bench_static"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="localdir_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists (seed only if empty)")
    parser.add_argument("--listings", type=int, default=LISTINGS)
    parser.add_argument("--requests", type=int, default=400, help="requests per URL (default 400)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed for the load of each URL")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process profile of each URL")
    args = parser.parse_args()

    env = environment(args.database)
    prepare_database(args.database, args.reuse)
    seed(env, args.database, args.listings)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    urls = targets(env)
    log(
        f"{urls['listings']} published listings; department {GEOJSON_DEPARTMENT}: {urls['department_listings']};"
        f" filter category: {urls['category']}"
    )

    # The figures only mean something on an otherwise idle machine: say how busy it was.
    log(f"{os.cpu_count()} CPUs; load average before the load test: {os.getloadavg()[0]:.1f}")
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    results = {}
    try:
        log(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{port};"
            f" {args.clients} clients, {args.requests} requests per URL"
        )
        for name in ["ceiling", "department", "filtered", "listing", "geojson"]:
            results[name] = load(port, urls[name], args.requests, args.clients, time.monotonic() + args.timeout)
        raw, gzipped, how = geojson_size(port, urls["geojson"])
        log(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        stop(server)

    log("")
    log(f"{'URL':<12} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'requests':>9}  path")
    for name, result in results.items():
        log(
            f"{name:<12} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['rps']:>8.1f} {result['requests']:>9}"
            f"  {urls[name]}"
        )
    log(f"GeoJSON of {GEOJSON_DEPARTMENT}: {raw / 1000:.0f} kB raw, {gzipped / 1000:.1f} kB gzipped ({how})")

    ceiling = results["ceiling"]["rps"]
    budgets = []
    for name in ["department", "filtered", "listing"]:
        result = results[name]
        budgets.append((f"{name} p95 ≤ {PAGE_P95_MS} ms", result["p95"] <= PAGE_P95_MS, f"{result['p95']:.1f} ms"))
        share = result["rps"] / ceiling if ceiling else 0
        budgets.append(
            (
                f"{name} throughput ≥ {THROUGHPUT_SHARE_OF_CEILING:.0%} of ceiling",
                share >= THROUGHPUT_SHARE_OF_CEILING,
                f"{share:.0%} ({result['rps']:.0f} of {ceiling:.0f} req/s)",
            )
        )
    geojson = results["geojson"]
    budgets.append((f"GeoJSON p95 ≤ {GEOJSON_P95_MS} ms", geojson["p95"] <= GEOJSON_P95_MS, f"{geojson['p95']:.1f} ms"))
    budgets.append(
        (f"GeoJSON ≤ {GEOJSON_GZIP_BYTES // 1000} kB gzipped", gzipped <= GEOJSON_GZIP_BYTES, f"{gzipped:,} B")
    )
    for name, result in results.items():
        budgets.append(
            (
                f"{name}: no error, all requests sent",
                not result["errors"] and result["requests"] == args.requests,
                f"{len(result['errors'])} errors {sorted(set(map(str, result['errors'])))[:3]},"
                f" {result['requests']} sent",
            )
        )
    log("")
    for label, ok, figure in budgets:
        log(f"{verdict(ok)}  {label:<45} {figure}")

    if not args.no_profile:
        log("")
        subprocess.run(
            [sys.executable, str(BASE_DIR / "bench" / "profile_urls.py"), *(urls[n] for n in results)],
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
            cwd=BASE_DIR,
            check=False,
        )
    return 0 if all(ok for _, ok, _ in budgets) else 1


if __name__ == "__main__":
    sys.exit(main())
