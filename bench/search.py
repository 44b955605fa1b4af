"""Full-text search under load on PostgreSQL with 100,000 listings, measured with wrk beside the minimal view.

    python bench/search.py [--reuse] [--duration 20] [--connections 4]

1. Prepares the database as bench/run.py does (localdir_bench_100k: 100,000 listings over France); --reuse keeps
   an existing one.
2. Starts gunicorn with production settings and PAGE_CACHE_SECONDS=0: every request is a cache miss, which is
   what searches are (a shopper's words rarely repeat within the cache's minute).
3. For each URL, wrk (--threads 2, --connections, keep-alive, Accept-Encoding: gzip) runs a 3 s warm-up, then
   --duration seconds; the search URLs cycle through QUERIES, one per request. Prints p50/p95/p99, req/s and
   bytes per response, and each URL's p95 and throughput as a ratio to the minimal view of the same run; then
   the PostgreSQL plans of a search in the department and over all of France (EXPLAIN ANALYZE), and an
   in-process profile (bench/profile_urls.py) of the department page with and without a search.
See docs/performance.md, "Search".
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.pages import database, server, targets  # noqa: E402

# What shoppers type: products, trades (some through synonyms), plurals and feminines, two-word queries.
QUERIES = [
    "miel",
    "vin",
    "fromage de chèvre",
    "boulangère",
    "légumes bio",
    "pain au levain",
    "confitures",
    "cidre",
    "œufs",
    "viande",
    "apiculteur",
    "maraîcher",
    "bière",
    "céramique",
    "savon",
    "fleurs",
]

LUA = """
local paths = {%(paths)s}
local n = 0
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.1f %%.1f %%.1f %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.bytes, e.status, e.timeout))
end
"""


def wrk(port, paths, duration, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"paths": ", ".join(f'"{p}"' for p in paths)})
    try:
        # A 10 s timeout: on a busy machine wrk's default (2 s) counts slow answers as errors.
        command = [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--timeout",
            "10s",
            "--script",
            script.name,
        ]
        url = f"http://127.0.0.1:{port}{paths[0]}"
        subprocess.run([*command, "--duration", "3s", url], check=True, capture_output=True)  # warm-up
        output = subprocess.run(
            [*command, "--duration", f"{duration}s", url], check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, micros, errors, p50, p95, p99, size, bad_status, timeouts = line.split()[1:]
    return {
        "requests": int(requests),
        "errors": int(errors),
        "rps": int(requests) / (int(micros) / 1e6),
        "p50": float(p50) / 1000,
        "p95": float(p95) / 1000,
        "p99": float(p99) / 1000,
        "bytes": int(size) / max(int(requests), 1),
        "bad_status": int(bad_status),
        "timeouts": int(timeouts),
    }


PLANS = """
import json
from django.db import connection
from producers.models import Department, Listing
department = Department.objects.get(code={department!r})
plans = {{}}
for label, listings in [("department", Listing.objects.published().in_department(department)),
                        ("France", Listing.objects.published())]:
    searched = listings.search({query!r})
    plans[label] = [searched.count(), searched[:20].explain(analyze=True)]
print(json.dumps(plans))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per URL (default 20)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    name = database.prepare("100k", args.reuse)
    static_root = Path(tempfile.gettempdir()) / f"{name}_static"
    env = server.environment(name, static_root, PAGE_CACHE_SECONDS=0)
    server.manage(env, "collectstatic", "--noinput", "-v", "0")
    pages, _ = targets.resolve(env)
    department = pages["department"][1]
    urls = {
        "ceiling": ["/bench/ceiling/"],
        "department": [department],
        "search": [f"{department}?q={quote(q)}" for q in QUERIES],
        "search map": [f"{pages['dept.geojson'][1]}?q={quote(q)}" for q in QUERIES],
    }

    server.log(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    port = server.free_port()
    gunicorn = server.start_gunicorn(env, port, args.workers)
    results = {}
    try:
        server.log(
            f"gunicorn: {args.workers} workers; wrk: 2 threads, {args.connections} connections, {args.duration} s"
        )
        for name, paths in urls.items():
            results[name] = wrk(port, paths, args.duration, args.connections)
        server.log(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        server.stop(gunicorn)

    ceiling = results["ceiling"]
    server.log("")
    server.log(
        f"{'URL':<11} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'kB/resp':>8} {'errors':>7}"
        f" {'p95/ceil':>9} {'req/s/ceil':>10}"
    )
    for name, r in results.items():
        server.log(
            f"{name:<11} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['rps']:>7.1f} {r['bytes'] / 1000:>8.1f}"
            f" {r['errors']:>7} {r['p95'] / ceiling['p95']:>8.1f}x {r['rps'] / ceiling['rps']:>9.0%}"
        )
    for name, r in results.items():
        if r["errors"]:
            server.log(f"{name}: {r['bad_status']} answers other than 2xx/3xx, {r['timeouts']} timeouts")
    server.log("")
    plans = server.django_query(env, PLANS.format(department=targets.DEPARTMENT, query="miel"))
    for label, (count, plan) in plans.items():
        server.log(f"Search 'miel', {label}: {count} published listings found; first 20:\n{plan}\n")
    # One request at a time, in process: what a search adds to the page in SQL and in Python.
    subprocess.run(
        [
            sys.executable,
            str(BASE_DIR / "bench" / "profile_urls.py"),
            "--top",
            "0",
            department,
            urls["search"][0],
            urls["search"][2],
            urls["search map"][0],
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        cwd=BASE_DIR,
        check=False,
    )
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
