"""What the embedded map costs a partner's visitor, against the full department page: bytes, not time.

    python bench/embed_bytes.py --database localdir_bench_100k [--department 49-maine-et-loire]

Serves the site with gunicorn on a seeded PostgreSQL database (as bench/map_browser.py does, whose helpers it uses;
the database is read, neither migrated nor seeded), then for the department page and its embedded page:
- the HTML alone: uncompressed, and gzipped as the site sends it (GZipMiddleware);
- what headless Chromium downloads to show the page with its map ready (1280 × 900, empty cache): every response
  from the site as transferred (compressed bodies), by type. Map tiles are answered from inside the browser: they
  are the tile server's, the same for both pages.
Prints a Markdown table for docs/partners.md.
"""

import argparse
import gzip
import sys
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.map_browser import Browser, environment, free_port, manage, start_gunicorn, stop, wait_ready  # noqa: E402


def html_sizes(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})) as response:
        body = response.read()
        encoding = response.headers.get("Content-Encoding")
    raw = gzip.decompress(body) if encoding == "gzip" else body
    return len(raw), len(body)


def kind(response):
    url = response.url.split("?")[0]
    if response.request.resource_type == "document":
        return "HTML"
    for suffix, name in ((".geojson", "map data"), (".css", "CSS"), (".js", "JavaScript")):
        if url.endswith(suffix):
            return name
    return "images, icons"


def downloads(browser, url):
    context, page = browser.page()
    responses = []
    page.on("response", lambda response: responses.append(response) if response.url.startswith(url[:22]) else None)
    try:
        page.goto(url)
        wait_ready(page, 0)
        page.wait_for_load_state("networkidle")
        by_kind = defaultdict(int)
        for response in responses:
            response.finished()
            by_kind[kind(response)] += response.request.sizes()["responseBodySize"]
        return dict(by_kind), len(responses)
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--department", default="49-maine-et-loire")
    args = parser.parse_args()
    env = environment(args.database, cache=False)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    port = free_port()
    server = start_gunicorn(env, port, 1)
    base = f"http://127.0.0.1:{port}"
    pages = [
        ("department page", f"/departements/{args.department}/"),
        ("embedded page", f"/embed/departements/{args.department}/"),
    ]
    browser = Browser()
    rows = []
    try:
        for name, path in pages:
            raw, gzipped = html_sizes(base + path)
            by_kind, requests = downloads(browser, base + path)
            rows.append((name, path, raw, gzipped, by_kind, requests))
    finally:
        browser.close()
        stop(server)
    kinds = ["HTML", "CSS", "JavaScript", "map data", "images, icons"]
    print(f"\nDatabase {args.database}, headless Chromium 1280×900, empty cache, page cache off.\n")
    print("| page | HTML | HTML gzipped | downloaded: " + " | ".join(kinds) + " | total (requests) |")
    print("|---|---:|---:|" + "---:|" * len(kinds) + "---:|")
    for name, path, raw, gzipped, by_kind, requests in rows:
        cells = " | ".join(f"{by_kind.get(k, 0) / 1000:.1f} kB" for k in kinds)
        total = sum(by_kind.values()) / 1000
        html = f"{raw / 1000:.1f} kB | {gzipped / 1000:.1f} kB"
        print(f"| {name} `{path}` | {html} | {cells} | {total:.1f} kB ({requests}) |")


if __name__ == "__main__":
    main()
