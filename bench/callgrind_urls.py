"""Instructions a request costs in process, by valgrind's callgrind: what the CPU does, whatever the machine's load.

    DATABASE_URL=… python bench/callgrind_urls.py PATH [PATH…] [--warmup 5] [--runs 10] [--page-cache] [--gzip]

Runs itself under valgrind (the script starts `valgrind --tool=callgrind` on itself), requests every path
--warmup times (the cached data are then warm, as between two changes in production), then each path --runs times
between two client requests to callgrind (zero the counts, dump them: a small C helper compiled on the fly, gcc and
valgrind's headers needed), and prints the instructions per request. The page cache is off (PAGE_CACHE_SECONDS=0)
unless --page-cache (the settings' value: the warm-up fills it, the runs are cache hits); the Django test client
asks for no compression unless --gzip (what browsers and bench/run.py's wrk ask: GZipMiddleware then compresses
every page). Settings as bench/profile_urls.py (bench.settings with the benchmark server's production settings,
DEBUG off, unless the environment sets DEBUG).

The clock the code reads (time.time(), django.utils.timezone.now()) runs --slow times slower than the real one, as
valgrind slows the code (~50×): the cached data's 5 s and 60 s and the opening hours' minute then expire as often,
per request, as they would natively. On the real clock a recomputation falling inside the measured requests or not
changed a page's count by up to 60 %.
"""

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HELPER = r"""
#include <valgrind/callgrind.h>
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--slow", type=float, default=50.0, help="how many times slower the code's clock runs")
    parser.add_argument("--page-cache", action="store_true", help="keep the settings' page cache: measure cache hits")
    parser.add_argument("--gzip", action="store_true", help="ask for gzip, as browsers and the wrk benchmark do")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args()


def outer(args):
    with tempfile.TemporaryDirectory() as tmp:
        helper = Path(tmp) / "cg.so"
        source = Path(tmp) / "cg.c"
        source.write_text(HELPER)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", helper, source], check=True)
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/callgrind.out.%p",
            sys.executable,
            __file__,
            *args.paths,
            f"--warmup={args.warmup}",
            f"--runs={args.runs}",
            f"--slow={args.slow}",
            *(["--page-cache"] if args.page_cache else []),
            *(["--gzip"] if args.gzip else []),
            "--inner",
            f"--out={helper}",
        ]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        totals = {}
        for dump in Path(tmp).glob("callgrind.out.*"):
            text = dump.read_text(errors="replace")
            trigger = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
            total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if trigger and total and trigger.group(1) in args.paths:
                totals[trigger.group(1)] = int(total.group(1))
    what = ("cache hits" if args.page_cache else "cache misses") + (", gzip asked" if args.gzip else "")
    print(f"callgrind, instructions per request (after {args.warmup} of each path, {args.runs} requests; {what}):\n")
    print("| path | instructions |")
    print("|---|---:|")
    for path in args.paths:
        print(f"| `{path}` | {totals[path] / args.runs / 1e6:.2f}M |")


def slow_clock(factor):
    """time.time() and timezone.now() as seen by the code: `factor` times slower than the real clock from now."""
    import datetime
    import time

    real, start = time.time, time.time()

    def slowed():
        return start + (real() - start) / factor

    time.time = slowed
    from django.utils import timezone

    timezone.now = lambda: datetime.datetime.fromtimestamp(slowed(), datetime.UTC)


def inner(args):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    slow_clock(args.slow)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    if not args.page_cache:
        settings.PAGE_CACHE_SECONDS = 0
    helper = ctypes.CDLL(args.out)
    client = Client(HTTP_HOST="127.0.0.1", **({"HTTP_ACCEPT_ENCODING": "gzip"} if args.gzip else {}))
    for path in args.paths:
        for _ in range(args.warmup):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    for path in args.paths:
        helper.cg_zero()
        for _ in range(args.runs):
            client.get(path)
        helper.cg_dump(path.encode())


if __name__ == "__main__":
    arguments = parse()
    if not arguments.inner:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from bench.pages.server import by_hand

        by_hand(sys.argv)  # production settings unless the environment says DEBUG
    (inner if arguments.inner else outer)(arguments)
