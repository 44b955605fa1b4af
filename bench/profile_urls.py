"""Where the time of each URL goes on a cache miss, in process: queries, SQL time, the rest (Python: filters,
templates, JSON), this process's CPU time (time.process_time(): what the machine's load inflates least, the database
server's own CPU left out), and the functions with most cumulative time (cProfile).

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python bench/profile_urls.py PATH [PATH…] [--top 8]

Run by bench/run.py after the load test, against the same database and settings (DEBUG off); run by hand, it takes
the same production settings (bench/pages/server.py `by_hand()`) unless the environment sets DEBUG. The page cache is
off (PAGE_CACHE_SECONDS=0; --page-cache keeps the settings' value): a profile of a cache hit shows 0 queries and
0.5 ms, which says nothing about the page. Each path is requested once to warm up (near-static data other caches
keep is then cached, as in production), then --runs times; prints the medians.
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

from bench.pages.server import by_hand  # noqa: E402

by_hand(sys.argv)  # production settings unless the environment says DEBUG

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
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


BASE = str(Path(__file__).resolve().parent.parent) + "/"
# Where a function's own time goes, by the file it is in (first match wins).
AREAS = [
    ("templates", ("/django/template/", "/templatetags/", "/django/utils/html.py", "/django/utils/safestring.py")),
    ("ORM", ("/django/db/",)),
    ("driver", ("/psycopg/", "psycopg_binary", "/sqlite3/")),
    ("JSON", ("/json/",)),
    ("i18n", ("/django/utils/translation/", "/gettext.py")),
]


def is_project(filename):
    return filename.startswith(BASE) and not filename.startswith((BASE + ".venv/", BASE + "bench/"))


def area(filename):
    for name, markers in AREAS:
        if any(marker in filename for marker in markers):
            return name
    if is_project(filename):
        return "our code"
    if filename == "~":
        return "built-ins"  # C functions: str.join, dict methods, …
    return "Django, other" if "/django/" in filename else "other"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client, path, runs):
    body(client.get(path))
    totals, sql, counts, cpu = [], [], [], []
    for _ in range(runs):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            size = len(body(response))
            totals.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        sql.append(timer.seconds)
        counts.append(timer.count)
    median = statistics.median
    return response.status_code, median(totals), median(sql), max(counts), size, median(cpu)


def profile(client, path, runs):
    """cProfile over `runs` requests: ({area: self seconds}, [(cumulative seconds, function)] of our code), per
    request."""
    profiler = cProfile.Profile()
    for _ in range(runs):
        profiler.runcall(lambda: body(client.get(path)))
    stats = pstats.Stats(profiler).stats
    areas, ours = {}, []
    for (filename, line, function), (_, _, own, cumulative, _) in stats.items():
        areas[area(filename)] = areas.get(area(filename), 0.0) + own / runs
        if is_project(filename):
            ours.append((cumulative / runs, f"{filename.removeprefix(BASE)}:{line}({function})"))
    return areas, sorted(ours, reverse=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--top", type=int, default=8, help="functions of ours to show per path (0: none)")
    parser.add_argument("--page-cache", action="store_true", help="keep the page cache (profile cache hits)")
    args = parser.parse_args()
    if not args.page_cache:
        settings.PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")

    print(
        f"In-process profile (median of {args.runs} requests, one process, no HTTP,"
        f" PAGE_CACHE_SECONDS={settings.PAGE_CACHE_SECONDS}):\n"
    )
    print("| path | total ms | SQL ms | queries | other ms | CPU ms | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in args.paths:
        status, total, sql, queries, size, cpu = measure(client, path, args.runs)
        print(
            f"| `{path}` | {total * 1000:.1f} | {sql * 1000:.1f} | {queries} | {(total - sql) * 1000:.1f}"
            f" | {cpu * 1000:.1f} | {size:,} |" + ("" if status == 200 else f"  (status {status})")
        )
    if not args.top:
        return
    names = [name for name, _ in AREAS] + ["our code", "built-ins", "Django, other", "other"]
    print("\nOwn time by area under cProfile (which inflates Python against SQL), % of the request:\n")
    print(f"| path | {' | '.join(names)} | ms under cProfile |")
    print("|---|" + "---:|" * (len(names) + 1))
    found = {}
    for path in args.paths:
        areas, found[path] = profile(client, path, max(3, args.runs // 3))
        total = sum(areas.values())
        print(f"| `{path}` | {' | '.join(f'{areas.get(n, 0) / total:.0%}' for n in names)} | {total * 1000:.1f} |")
    for path, ours in found.items():
        print(f"\nOur functions with most cumulative time (ms per request under cProfile): {path}")
        for seconds, function in ours[: args.top]:
            print(f"  {seconds * 1000:8.1f}  {function}")


if __name__ == "__main__":
    main()
