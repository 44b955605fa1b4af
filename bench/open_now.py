"""The "open now" filter on PostgreSQL with 100,000 listings: the slot table's size and the filter's latency.

    python bench/open_now.py [--database localdir_open_now_bench] [--reuse] [--duration 15] [--connections 4]

1. Prepares the database as bench/run.py does (100,000 listings over France, Maine-et-Loire topped up to ~2,000
   published, VACUUM ANALYZE); --reuse keeps an existing one.
2. Times `refresh_opening_slots` (the daily command) over every listing, then VACUUM ANALYZE, and prints the
   opening slot table's rows and its size on disk (table and indexes).
3. In process, one query at a time: the filter over all of France (count), over the department (count) and the
   department page's first 20 listings, at 56 moments of the coming week (every 3 hours); prints p50/p95/max, and
   the plan of the France count at a Saturday 10:00.
4. Over HTTP with wrk (as bench/search.py: gunicorn, production settings, PAGE_CACHE_SECONDS=0): the department
   page and its map data with and without ?open_now=on, beside the minimal ceiling view.
See docs/performance.md, "Open now".
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import run  # noqa: E402
from bench.search import wrk  # noqa: E402

SIZE = """
import json
from django.db import connection
from producers.models import OpeningSlot
table = OpeningSlot._meta.db_table
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*), count(DISTINCT listing_id), pg_relation_size(%s), pg_indexes_size(%s),"
                   " pg_total_relation_size(%s) FROM " + table, [table, table, table])
    rows, listings, heap, indexes, total = cursor.fetchone()
    cursor.execute("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index"
                   " WHERE indrelid = %s::regclass", [table])
    each = cursor.fetchall()
print(json.dumps({"rows": rows, "listings": listings, "heap": heap, "indexes": indexes, "total": total,
                  "each": each}))
"""

TIMINGS = """
import datetime, json, time
from django.db import connection
from django.utils import timezone
from producers.hours import PARIS
from producers.models import Department, Listing
department = Department.objects.get(code={department!r})
today = timezone.localtime(timezone.now(), PARIS).replace(hour=0, minute=0, second=0, microsecond=0)
moments = [today + datetime.timedelta(hours=h) for h in range(0, 7 * 24, 3)]
published = Listing.objects.published()
queries = {{
    "France, count": lambda t: published.open_at(t).count(),
    "department, count": lambda t: published.in_department(department).open_at(t).count(),
    "department, first 20": lambda t: len(published.in_department(department).open_at(t).order_by("name", "pk")[:20]),
}}
results = {{}}
for label, query in queries.items():
    query(moments[0])  # warm the cache and the connection
    times, found = [], []
    for moment in moments:
        started = time.perf_counter()
        found.append(query(moment))
        times.append((time.perf_counter() - started) * 1000)
    results[label] = [sorted(times), min(found), max(found)]
saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7, hours=10)
plan = published.open_at(saturday).only("pk").explain(analyze=True)
print(json.dumps({{"results": results, "plan": plan, "saturday": saturday.isoformat()}}))
"""


def megabytes(size):
    return f"{size / 1e6:.1f} MB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="localdir_open_now_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists (seed only if empty)")
    parser.add_argument("--listings", type=int, default=run.LISTINGS)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per URL (default 15)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--no-http", action="store_true", help="skip the wrk part")
    args = parser.parse_args()
    if not args.no_http and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    static_root = Path(tempfile.gettempdir()) / f"{args.database}_static"
    env = {**run.environment(args.database, static_root), "PAGE_CACHE_SECONDS": "0"}
    run.prepare_database(args.database, args.reuse)
    run.seed(env, args.database, args.listings)
    run.log(f"{os.cpu_count()} CPUs; load average: {os.getloadavg()[0]:.1f}")

    started = time.monotonic()
    run.manage(env, "refresh_opening_slots")
    run.log(f"refresh_opening_slots: {time.monotonic() - started:.1f} s")
    import psycopg

    with psycopg.connect(**run.PG, dbname=args.database, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE producers_openingslot")

    size = run.django_query(env, SIZE)
    run.log(
        f"Opening slots: {size['rows']:,} rows for {size['listings']:,} listings with open hours"
        f" ({size['rows'] / max(size['listings'], 1):.1f} each); table {megabytes(size['heap'])},"
        f" indexes {megabytes(size['indexes'])}, total {megabytes(size['total'])}"
    )
    for name, index_size in size["each"]:
        run.log(f"  {name}: {megabytes(index_size)}")

    timings = run.django_query(env, TIMINGS.format(department=run.GEOJSON_DEPARTMENT))
    run.log("")
    run.log(f"{'open now, in process':<24} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'found':>13}")
    for label, (times, fewest, most) in timings["results"].items():
        run.log(
            f"{label:<24} {run.percentile(times, 50):>7.1f} {run.percentile(times, 95):>7.1f} {times[-1]:>7.1f}"
            f" {fewest:>6}-{most:<6}"
        )
    run.log(f"\nPlan of the France count at {timings['saturday']}:\n{timings['plan']}\n")

    if args.no_http:
        return 0
    run.manage(env, "collectstatic", "--noinput", "-v", "0")
    urls = run.targets(env)
    paths = {
        "ceiling": "/bench/ceiling/",
        "department": urls["department"],
        "dept open now": urls["department"] + "?open_now=on",
        "map": urls["geojson"],
        "map open now": urls["geojson"] + "?open_now=on",
    }
    port = run.free_port()
    server = run.start_gunicorn(env, port, args.workers)
    results = {}
    try:
        run.log(f"gunicorn: {args.workers} workers; wrk: 2 threads, {args.connections} connections, {args.duration} s")
        for name, path in paths.items():
            results[name] = wrk(port, [path], args.duration, args.connections)
        run.log(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        run.stop(server)
    ceiling = results["ceiling"]
    run.log(
        f"{'URL':<14} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'kB/resp':>8} {'errors':>7}"
        f" {'p95/ceil':>9}"
    )
    for name, r in results.items():
        run.log(
            f"{name:<14} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} {r['rps']:>7.1f}"
            f" {r['bytes'] / 1000:>8.1f} {r['errors']:>7} {r['p95'] / ceiling['p95']:>8.1f}x"
        )
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
