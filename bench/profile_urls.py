"""Where the time of each URL goes, in process: queries, SQL time, the rest (Python: filters, templates, JSON).

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python bench/profile_urls.py PATH [PATH…] [--top 8]

Run by bench/run.py after the load test, against the same database and settings (DEBUG off). Each path is
requested once to warm up, then --runs times; prints the median, and the functions with most cumulative time.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


class QueryTimer:
    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def measure(client, path, runs):
    client.get(path)
    totals, sql, counts = [], [], []
    for _ in range(runs):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = client.get(path)
            b"".join(response.streaming_content) if response.streaming else response.content
            totals.append(time.perf_counter() - started)
        sql.append(timer.seconds)
        counts.append(timer.count)
    size = len(b"".join(response.streaming_content) if response.streaming else response.content)
    return response.status_code, statistics.median(totals), statistics.median(sql), max(counts), size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--top", type=int, default=8, help="functions to show per path (0: none)")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")

    print(f"In-process profile (median of {args.runs} runs, one process, no HTTP):")
    print(f"{'total ms':>9} {'SQL ms':>8} {'other ms':>9} {'queries':>8} {'bytes':>9}  path")
    for path in args.paths:
        status, total, sql, queries, size = measure(client, path, args.runs)
        print(
            f"{total * 1000:>9.1f} {sql * 1000:>8.1f} {(total - sql) * 1000:>9.1f} {queries:>8} {size:>9}  {path}"
            + ("" if status == 200 else f"  (status {status})")
        )
    if args.top:
        for path in args.paths:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            print(f"\nTop {args.top} by cumulative time: {path}")
            stats = pstats.Stats(profile, stream=sys.stdout).strip_dirs().sort_stats("cumulative")
            stats.print_stats(r"(producers|localdir|template|json|serializ|compiler|query|filters)", args.top)


if __name__ == "__main__":
    main()
