"""The maps in a real browser: headless Chromium (Debian's, through Playwright) against gunicorn on PostgreSQL.

    python bench/map_browser.py --database localdir_bench_1m [--runs 3] [--workers 3] [--cache]

The database must hold seeded listings (bench.pages.seed, or bench/run.py's seeding); it is migrated, not seeded.
For each map page, in a fresh browser (empty cache), at 1280 × 900:
- interactive: from navigation start to the map's first answer drawn (static/js/map.js sets data-map-state="ready"
  once its markers and clusters are on the map);
- JS heap: used size after a garbage collection, through the DevTools protocol;
- the GeoJSON the page downloaded: requests and bytes as transferred (gzipped);
then pans on the Paris map, each dragging the map by 60 % of its width and holding still before the release (no
inertia): the time from the map asking for its new view to the answer drawn, and from the release (the request
starts static/js/map.js's MOVE_DEBOUNCE_MS after the move ends).
Map tiles are answered with a blank image from inside the browser: the figures are ours, not the tile server's.
Every response is a page-cache miss unless --cache is given; the maps' grid is kept in Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/7, flushed first), as in production. Prints a Markdown table with issue 11's goals
(interactive < 1.5 s, heap < 50 MB, pan < 300 ms), medians of --runs runs.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TILES_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63606060600000000500017aa857500000000049454e44ae426082"
)
VIEWPORT = {"width": 1280, "height": 900}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
GOALS = {"interactive_ms": 1500, "heap_mb": 50, "pan_ms": 300}
PAGES = [
    ("all of France", "/carte/"),
    ("Paris + 50 km", "/carte/?commune=75056&distance=50"),
    ("department 59 (Nord)", "/departements/59-nord/"),
]
PAN_PAGE = "/carte/?commune=75056&distance=50"
# The map data alone under wrk (--wrk): the requests the maps above send, unfiltered and filtered.
PARIS_50_KM = "1.6684,48.4074,3.0360,49.3058"  # the box around Paris (48.8566 N, 2.3522 E) + 50 km
DATA = [
    ("department 59, first request (no box)", "/departements/59-nord/carte.geojson?zoom=9"),
    ("all of France, zoom 6", "/carte.geojson?bbox=-5.5,41.2,10.0,51.2&zoom=6"),
    ("box of Paris + 50 km, zoom 9", f"/carte.geojson?bbox={PARIS_50_KM}&zoom=9"),
    ("Paris + 50 km filter, zoom 9", f"/carte.geojson?commune=75056&distance=50&bbox={PARIS_50_KM}&zoom=9"),
    ("Lille, zoom 13", "/carte.geojson?bbox=2.99,50.60,3.10,50.66&zoom=13"),
]
PANS = 5

# Records, in page time (performance.now()), each change of the map's state and the end of each drag.
RECORDER = """
window.__mapStates = [];
window.__dragEnds = [];
document.addEventListener("mouseup", () => window.__dragEnds.push(performance.now()), true);
new MutationObserver((records) => {
  for (const record of records) {
    const state = record.target.dataset.mapState;
    window.__mapStates.push([state, performance.now(), record.target.dataset.requestCount || "0"]);
  }
}).observe(document, { attributes: true, attributeFilter: ["data-map-state"], subtree: true });
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database, cache):
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "localdir_map_bench_static"),
        "MAP_TILES_URL": TILES_URL,
        "PAGE_CACHE_SECONDS": "60" if cache else "0",
        "PYTHONPATH": str(BASE_DIR),
        # Shared by the workers, as in production: the maps' grid is counted once, not once per worker.
        "REDIS_URL": REDIS_URL,
    }


def manage(env, *args):
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, cwd=BASE_DIR, check=True)


def start_gunicorn(env, port, workers):
    command = [sys.executable, "-m", "gunicorn", "localdir.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning", "--timeout", "60"]
    server = subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )

    def close(self):
        self.browser.close()
        self.playwright.stop()

    def page(self):
        context = self.browser.new_context(locale="fr-FR", viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.add_init_script(RECORDER)
        page.route("http://tiles.invalid/**", lambda route: route.fulfill(content_type="image/png", body=BLANK_PNG))
        page.geojson = []

        def record(response):
            if ".geojson" in response.url:
                page.geojson.append(response)

        page.on("response", record)
        return context, page


def ready_times(page):
    """Page times at which the map became ready."""
    return [t for state, t, _ in page.evaluate("window.__mapStates") if state == "ready"]


def wait_ready(page, after_count):
    page.wait_for_function(
        "n => window.__mapStates.filter(s => s[0] === 'ready').length > n && "
        "document.querySelector('.listing-map').dataset.mapState === 'ready'",
        arg=after_count,
    )


def transferred(responses):
    total = 0
    for response in responses:
        response.finished()
        total += response.request.sizes()["responseBodySize"]
    return total


def open_map(browser, base, path):
    """Figures of one visit: interactive (ms), heap (MB), GeoJSON requests and bytes."""
    context, page = browser.page()
    try:
        page.goto(base + path)
        wait_ready(page, 0)
        interactive = ready_times(page)[0]
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
        markers = page.locator(".listing-map").get_attribute("data-marker-count")
        timing = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0];
              const data = performance.getEntriesByType("resource").filter((r) => r.name.includes(".geojson"));
              return {
                html: nav.responseEnd,
                ready: nav.domContentLoadedEventEnd,
                data_start: data.length ? data[0].startTime : 0,
                data_ms: data.reduce((total, r) => total + r.duration, 0),
              };
            }"""
        )
        return {
            **timing,
            "interactive_ms": interactive,
            "heap_mb": heap,
            "requests": len(page.geojson),
            "bytes": transferred(page.geojson),
            "listings": int(markers or 0),
        }
    finally:
        context.close()


def pans(browser, base):
    """[(request to drawn, end of drag to drawn)] in ms for PANS drags of the Paris map."""
    context, page = browser.page()
    figures = []
    try:
        page.goto(base + PAN_PAGE)
        wait_ready(page, 0)
        box = page.locator(".listing-map").bounding_box()
        y = box["y"] + box["height"] / 2
        for i in range(PANS):
            before = len(ready_times(page))
            states_before = len(page.evaluate("window.__mapStates"))
            direction = 1 if i % 2 == 0 else -1
            start_x = box["x"] + box["width"] * (0.8 if direction > 0 else 0.2)
            page.mouse.move(start_x, y)
            page.mouse.down()
            page.mouse.move(start_x - direction * box["width"] * 0.6, y + 40 * direction, steps=8)
            # Held still before the release, as a hand that places the map: no inertia, the move ends on release.
            page.wait_for_timeout(100)
            page.mouse.up()
            wait_ready(page, before)
            states = page.evaluate("window.__mapStates")[states_before:]
            loading = [t for state, t, _ in states if state == "loading"]
            drawn = [t for state, t, _ in states if state == "ready"][-1]
            drag_end = page.evaluate("window.__dragEnds")[-1]
            if loading:  # else the answer was already in the map's own cache
                figures.append((drawn - loading[0], drawn - drag_end))
            page.wait_for_timeout(300)
        return figures
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a seeded PostgreSQL database on 127.0.0.1:5432")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--cache", action="store_true", help="serve from the page cache (default: every miss)")
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS", help="also load the map data with wrk")
    args = parser.parse_args()
    env = environment(args.database, args.cache)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")  # another database's grid
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    browser = Browser()
    try:
        # The maps' grid (producers/maps/grid.py) is counted by the first unfiltered map request after a change;
        # each worker then reads it from Redis once. Measured here, then out of the way of the figures below.
        started = time.perf_counter()
        with urllib.request.urlopen(base + "/carte.geojson?zoom=6&bbox=-5.3,41.3,9.7,51.2", timeout=60) as response:
            response.read()
        grid_ms = (time.perf_counter() - started) * 1000
        for _ in range(4 * args.workers):  # every worker: code, place names, the grid from Redis
            with urllib.request.urlopen(base + "/carte.geojson?zoom=6&bbox=-5.3,41.3,9.7,51.2", timeout=60) as r:
                r.read()
        rows = []
        for name, path in PAGES:
            runs = [open_map(browser, base, path) for _ in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            rows.append((name, path, median))
            log(f"  {name}: {median}")
        pan_figures = [figure for _ in range(args.runs) for figure in pans(browser, base)]
        data_figures = []
        if args.wrk:
            sys.path.insert(0, str(BASE_DIR))
            from bench.pages import wrk

            for name, path in DATA:
                figures = wrk.run(port, [path], args.wrk, 4)
                with urllib.request.urlopen(
                    urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
                ) as r:
                    figures["gzipped"] = len(r.read())
                data_figures.append((name, path, figures))
                log(f"  {name}: p95 {figures['p95']:.1f} ms")
    finally:
        browser.close()
        stop(server)

    print(f"\nMaps in headless Chromium, {VIEWPORT['width']}×{VIEWPORT['height']}, database {args.database},")
    cache = "on" if args.cache else "off"
    print(f"gunicorn {args.workers} workers, page cache {cache}; medians of {args.runs} runs.\n")
    print(
        "| map | interactive | HTML received | DOM ready | map data asked at, took | JS heap | GeoJSON requests"
        " | GeoJSON bytes (gzipped) | listings shown | goals |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, path, m in rows:
        verdict = "✓" if m["interactive_ms"] < GOALS["interactive_ms"] and m["heap_mb"] < GOALS["heap_mb"] else "✗"
        print(
            f"| {name} `{path}` | {m['interactive_ms']:.0f} ms | {m['html']:.0f} ms | {m['ready']:.0f} ms |"
            f" {m['data_start']:.0f} ms, {m['data_ms']:.0f} ms | {m['heap_mb']:.1f} MB | {m['requests']:.0f} |"
            f" {m['bytes'] / 1000:.1f} kB | {m['listings']:,.0f} | {verdict} |"
        )
    if pan_figures:
        request = sorted(f[0] for f in pan_figures)
        drag = sorted(f[1] for f in pan_figures)
        print(
            f"\nPans of the Paris map ({len(pan_figures)} with a request): request to drawn p50"
            f" {statistics.median(request):.0f} ms, max {request[-1]:.0f} ms;"
            f" release to drawn p50 {statistics.median(drag):.0f} ms, max {drag[-1]:.0f} ms"
            f" (goal < {GOALS['pan_ms']} ms)."
        )
    print(f"Goals: interactive < {GOALS['interactive_ms']} ms, JS heap < {GOALS['heap_mb']} MB.")
    print(f"The first map request after a change counted the maps' grid in {grid_ms:.0f} ms (then kept in Redis).")
    if data_figures:
        print(f"\nMap data under wrk, 4 connections, {args.wrk} s each:\n")
        print("| map data | p50 | p95 | req/s | gzipped |")
        print("|---|---|---|---|---|")
        for name, path, f in data_figures:
            print(
                f"| {name} `{path}` | {f['p50']:.1f} ms | {f['p95']:.1f} ms | {f['rps']:.0f} |"
                f" {f['gzipped'] / 1000:.1f} kB |"
            )
    print(f"Load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
