"""Load benchmark of the public pages on PostgreSQL, cache hits and misses, against a minimal view in the same run.

    python bench/run.py [--reuse] [--scale] [--duration 10] [--connections 4] [--workers 3] [--no-profile]
                        [--no-browser] [--browser-runs 3]
    make bench [REUSE=1] [SCALE=1]

1. The database localdir_bench_100k (10k and 1m too with --scale): a copy of a template with main's schema and the
   French places, seeded by bench.pages.seed (COPY; a million listings in minutes). --reuse keeps existing ones.
2. collectstatic, then gunicorn (production settings, DEBUG off, --workers sync workers) with bench.settings,
   which adds /bench/ceiling/: the cheapest Django response, the ceiling to compare against.
3. For cache HIT (PAGE_CACHE_SECONDS=60) then cache MISS (=0, a second gunicorn), each page of
   bench/pages/targets.py under wrk (2 threads, --connections, a warm-up, then --duration s): p50/p95/p99, req/s,
   the ratios to the ceiling, response bytes raw and gzipped, the load average at start and end. With --scale,
   the misses at 10k, 100k and 1M listings and each page's p95 ratio 1M ÷ 100k.
4. bench/profile_urls.py with the page cache off at 100k: queries, SQL time, total time, top functions per page.
5. bench/map_browser.py at each scale measured (--no-browser skips it): the maps in headless Chromium, interactive
   time, JS heap and the pans' times against issue 11's goals (about 1 min per scale).
Exits 1 when a request failed. See docs/performance.md.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import database, measure, report, targets  # noqa: E402
from bench.pages.server import BASE_DIR, environment, load_average, log, manage  # noqa: E402


def git_commit():
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=BASE_DIR, capture_output=True)
    return done.stdout.strip() + (" (with local changes)" if dirty.stdout.strip() else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the benchmark databases that exist")
    parser.add_argument("--scale", action="store_true", help="also 10k and 1M listings: the scaling table")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each measure (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="measure only these pages (and the ceiling)")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process profiles")
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the maps in headless Chromium (bench/map_browser.py)"
    )
    parser.add_argument("--browser-runs", type=int, default=3, help="runs of each map in Chromium (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()

    labels = ["100k", "10k", "1m"] if args.scale else ["100k"]
    databases = {label: database.prepare(label, args.reuse) for label in labels}
    static_root = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/localdir_bench_static"))
    manage(environment(databases["100k"], static_root), "collectstatic", "--noinput", "-v", "0")

    log(f"\nCode: {git_commit()}; {os.cpu_count()} CPUs; load average {load_average():.1f}")
    log(f"gunicorn {args.workers} sync workers; wrk 2 threads, {args.connections} connections, {args.duration} s/page")
    results, resolved = {}, {}
    for label in labels:
        env = environment(databases[label], static_root)
        pages, facts = targets.resolve(env)
        if args.only:
            pages = {name: pages[name] for name in ["ceiling", *args.only]}
        resolved[label] = (pages, facts)
        log(
            f"\n{databases[label]}: {facts['listings']:,} published listings; department {targets.DEPARTMENT}:"
            f" {facts['department_listings']:,}; within {targets.TOWN_KM} km of Lille: {facts['near_listings']:,},"
            f" {facts['category_near_listings']:,} of them in {facts['category']}"
        )
        for mode in ["hit", "miss"] if label == "100k" else ["miss"]:
            results[(label, mode)] = measure.run(env, pages, mode, args)

    pages, facts = resolved["100k"]
    for mode, title in [("hit", "Cache HIT (production default)"), ("miss", "Cache MISS (PAGE_CACHE_SECONDS=0)")]:
        report.run_table(results[("100k", mode)], pages, f"{title}, {facts['listings']:,} published listings")
    if args.scale:
        report.scaling_table({label: results[(label, "miss")] for label in ["10k", "100k", "1m"]}, pages)
    if args.json:
        args.json.write_text(
            json.dumps({f"{label} {mode}": run for (label, mode), run in results.items()} | {"facts": facts}, indent=1)
        )

    if not args.no_profile:
        log("\nWhere the time of a miss goes (bench/profile_urls.py, page cache off, one request at a time):")
        paths = [
            path
            for name, (_, path) in pages.items()
            if name != "ceiling" and results[("100k", "miss")]["pages"].get(name)
        ]
        subprocess.run(
            [sys.executable, str(BASE_DIR / "bench" / "profile_urls.py"), *paths],
            env={**environment(databases["100k"], static_root), "DJANGO_SETTINGS_MODULE": "bench.settings"},
            cwd=BASE_DIR,
            check=False,
        )
    browser_failed = [] if args.no_browser else browser_maps(databases, labels, args.browser_runs)
    failed = browser_failed + [
        f"{label} {mode} {name}"
        for (label, mode), run in results.items()
        for name, figures in run["pages"].items()
        if figures and figures["errors"]
    ]
    if failed:
        log(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


def browser_maps(databases, labels, runs):
    """Issue 11's browser figures (interactive time, JS heap, pan time) at each scale measured: bench/map_browser.py,
    its own gunicorn on the same database. Returns the scales where it failed."""
    failed = []
    for label in labels:
        log(f"\nThe maps in headless Chromium at {label} (bench/map_browser.py; --no-browser skips):")
        done = subprocess.run(
            [
                sys.executable,
                str(BASE_DIR / "bench" / "map_browser.py"),
                "--database",
                databases[label],
                "--runs",
                str(runs),
            ],
            cwd=BASE_DIR,
            check=False,
        )
        if done.returncode:
            failed.append(f"map_browser.py at {label}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
