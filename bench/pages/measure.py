"""One gunicorn run: every page under wrk, with the page cache on (hits) or off (every request a miss).

A miss is measured with PAGE_CACHE_SECONDS=0 in a gunicorn of its own rather than with a distinct query string per
request: the same URL does the same work as in the hit run (an unknown parameter could change what a view does,
or be cached under a new key that fills and churns the cache), and the views run exactly what a shopper's new
filter combination runs. The near-static data other caches hold (filter choices, counts) stays cached, as it is
in production between two changes.

The minimal view is measured first and last: the ratios divide by the mean of both, and the gap between the two
says how much the machine's load moved during the run.
"""

import gzip

from . import wrk
from .server import fetch, free_port, load_average, log, start_gunicorn, stop

MODES = {"hit": 60, "miss": 0}  # PAGE_CACHE_SECONDS


def sizes(port, path):
    """(raw bytes, gzipped bytes, whether the server gzipped it) of one response to a browser-like GET."""
    status, encoding, body = fetch(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    if encoding == "gzip":
        return len(gzip.decompress(body)), len(body), True
    return len(body), len(gzip.compress(body, 6)), False


def run(env, pages, mode, args):
    """{"load_start", "load_end", "pages": {name: figures or None when the page answers 404}}."""
    env = {**env, "PAGE_CACHE_SECONDS": str(MODES[mode])}
    port = free_port()
    load_start = load_average()
    server = start_gunicorn(env, port, args.workers)
    results = {}
    try:
        order = ["ceiling", *(name for name in pages if name != "ceiling"), "ceiling (end)"]
        for name in order:
            page, path = pages[name.removesuffix(" (end)")]
            status, _, _ = fetch(port, path)
            if status == 404:
                results[name] = None
                log(f"  {name}: not available (404 on this code): {path}")
                continue
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            figures = wrk.run(port, [path], args.duration, args.connections, warmup=args.warmup)
            figures["raw"], figures["gzipped"], figures["served_gzipped"] = sizes(port, path)
            results[name] = figures
            log(
                f"  {mode} {name}: p95 {figures['p95']:.1f} ms, {figures['rps']:.0f} req/s,"
                f" {figures['requests']} requests, {figures['errors']} errors"
            )
    finally:
        stop(server)
    return {"mode": mode, "load_start": load_start, "load_end": load_average(), "pages": results}
