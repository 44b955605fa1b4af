"""Peak memory and duration of the open data exports (CSV and GeoJSON), France-wide and for one department.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/localdir_bench_100k python bench/export_memory.py [--count 100000]

Uses the database as it is when it already holds --count listings (bench/run.py fills
`localdir_bench_100k` with 100,000); otherwise seeds the missing ones with `seed_demo --all-france`. Each export
is consumed the way a WSGI server does, chunk by chunk, without keeping it. Memory is measured twice: the
Python heap peak with tracemalloc (a slower run), and the process's resident peak (getrusage) over the
untraced run, which also times it.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/localdir_bench_100k")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localdir.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from producers import exports  # noqa: E402
from producers.models import Department, Listing  # noqa: E402

# With DEBUG on, Django keeps every query's SQL: not what a production export does.
settings.DEBUG = False


def consume(view, **kwargs):
    request = RequestFactory().get("/")
    response = view(request, **kwargs)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    return size


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label, rows, view, **kwargs):
    rss_before = rss_mb()
    started = time.perf_counter()
    size = consume(view, **kwargs)
    duration = time.perf_counter() - started
    rss_after = rss_mb()
    tracemalloc.start()
    consume(view, **kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"| {label} | {rows:,} | {size / 1e6:,.1f} MB | {duration:.1f} s | {peak / 1e6:.1f} MB "
        f"| {rss_after:.0f} MB (+{rss_after - rss_before:.0f}) |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--count", type=int, default=100_000, help="Listings wanted, published or not (default 100,000)."
    )
    args = parser.parse_args()

    total = Listing.objects.count()
    if total < args.count:
        print(f"{total:,} listings; seeding {args.count - total:,} more…", flush=True)
        call_command("seed_demo", "--all-france", "--count", str(args.count - total))
    published = Listing.objects.published().count()

    largest = (
        Department.objects.filter(listings__status=Listing.Status.PUBLISHED)
        .annotate(n=Count("listings"))
        .order_by("-n")
        .first()
    )
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, chunks of {exports.CHUNK_SIZE}")
    print("| export | listings | size | duration | Python heap peak (tracemalloc) | process RSS peak |")
    print("|---|---|---|---|---|---|")
    for fmt in ["csv", "geojson"]:
        measure(f"France, {fmt}", published, exports.france_export, fmt=fmt)
    for fmt in ["csv", "geojson"]:
        measure(
            f"{largest.name} ({largest.code}), {fmt}",
            largest.n,
            exports.department_export,
            code=largest.code,
            slug=largest.slug,
            fmt=fmt,
        )


if __name__ == "__main__":
    main()
