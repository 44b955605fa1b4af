"""The tables `make bench` prints (Markdown, so they paste into docs/performance.md as they are)."""

from .server import log


def ceiling(run):
    """Mean req/s and p95 of the minimal view, measured at the start and the end of the run."""
    measured = [run["pages"][name] for name in ("ceiling", "ceiling (end)") if run["pages"].get(name)]
    rps = sum(m["rps"] for m in measured) / len(measured)
    p95 = sum(m["p95"] for m in measured) / len(measured)
    return rps, p95


def kb(n):
    return f"{n / 1000:,.1f}"


def verdict(page, figures, mode):
    if mode != "miss" or page.goal_p95_ms is None or not figures["requests"]:
        return ""
    ok = figures["p95"] <= page.goal_p95_ms
    goal = f"≤ {page.goal_p95_ms:g} ms"
    if page.goal_gzip_kb is not None:
        ok = ok and figures["gzipped"] <= page.goal_gzip_kb * 1000
        goal += f", ≤ {page.goal_gzip_kb:g} kB"
    return f"{'PASS' if ok else 'FAIL'} ({goal})"


def run_table(run, pages, title):
    rps, p95 = ceiling(run)
    log()
    log(f"{title}; load average {run['load_start']:.1f} at start, {run['load_end']:.1f} at end")
    log()
    log(
        "| page | p50 ms | p95 ms | p99 ms | req/s | req/s ÷ ceiling | p95 ÷ ceiling | requests | errors"
        " | bytes raw / gzipped | goal (miss) |"
    )
    log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, figures in run["pages"].items():
        page, path = pages[name.removesuffix(" (end)")]
        label = f"{name} `{path}`"
        if figures is None:
            log(f"| {label} | not available (404 on this code) | | | | | | | | | |")
            continue
        if not figures["requests"]:
            log(f"| {label} | no answer within the {figures['seconds']:.0f} s of load | | | | | | 0 | | | |")
            continue
        size = ""
        if page.geojson or page.name != "ceiling":
            size = f"{kb(figures['raw'])} / {kb(figures['gzipped'])} kB" + ("" if figures["served_gzipped"] else " *")
        log(
            f"| {label} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f} | {figures['rps']:.0f}"
            f" | {figures['rps'] / rps:.1%} | {figures['p95'] / p95:.1f}× | {figures['requests']:,}"
            f" | {figures['errors']} | {size} | {verdict(page, figures, run['mode'])} |"
        )
    if any(f and f["requests"] and not f["served_gzipped"] for n, f in run["pages"].items() if "ceiling" not in n):
        log("\n\\* not gzipped by the server: the gzipped size is the body compressed here (gzip level 6).")


def scaling_table(runs, pages):
    """runs: {label: run} of cache misses at each scale (the ratio needs "100k" and "1m")."""
    labels = list(runs)
    ratio = "1m" in runs and "100k" in runs
    log()
    log("Scaling, every request a cache miss: p95 in ms (req/s)")
    log()
    heading = f"| page | {' | '.join(label.replace('m', 'M') for label in labels)} |"
    if ratio:
        heading += " 1M ÷ 100k, p95 (goal ≤ 1.5×) | 1M ÷ 100k, p50 |"
    log(heading)
    log("|---|" + "---:|" * (len(labels) + 2 * ratio))
    for name in pages:
        cells = []
        for label in labels:
            figures = runs[label]["pages"].get(name)
            if figures is None:
                cells.append("not available")
            elif not figures["requests"]:
                cells.append(f"> {figures['seconds']:.0f} s")
            else:
                cells.append(f"{figures['p95']:.1f} ({figures['rps']:.0f})")
        line = f"| {name} | {' | '.join(cells)} |"
        if ratio:
            big, base = runs["1m"]["pages"].get(name), runs["100k"]["pages"].get(name)
            if big and base and big["requests"] and base["requests"]:
                # The median moves less with the machine's load than the tail: the two runs are minutes apart.
                line += f" {big['p95'] / base['p95']:.2f}× | {big['p50'] / base['p50']:.2f}× |"
            else:
                line += " | |"
        log(line)
    loads = [f"{run['load_start']:.1f} → {run['load_end']:.1f}" for run in runs.values()]
    log(f"| load average (start → end) | {' | '.join(loads)} |")
