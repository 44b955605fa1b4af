from bench.pages import report, targets


def figures(p95, rps, requests=100):
    return {
        "requests": requests, "seconds": 10.0, "rps": rps, "errors": 0, "p50": p95 / 2, "p95": p95, "p99": p95 * 2,
        "raw": 20_000, "gzipped": 4_000, "served_gzipped": True,
    }  # fmt: skip


def run(pages, mode="miss"):
    return {"mode": mode, "load_start": 1.0, "load_end": 2.0, "pages": pages}


PAGES = {page.name: (page, page.path) for page in targets.PAGES}


def test_ratios_divide_by_the_mean_of_both_ceilings_and_goals_apply_to_misses(capsys):
    measured = {
        "ceiling": figures(10, 400),
        "department": figures(40, 50),
        "carte": None,
        "dept.geojson": figures(0, 0, requests=0),
        "ceiling (end)": figures(30, 600),
    }
    report.run_table(run(measured), PAGES, "Cache MISS")
    lines = {line.split(" `")[0].strip("| "): line for line in capsys.readouterr().out.splitlines()}
    # 50 req/s of 500, p95 40 ms against 20 ms, over the goal of 25 ms.
    assert "| 10.0% | 2.0× |" in lines["department"] and "FAIL (≤ 25 ms)" in lines["department"]
    assert "not available" in lines["carte"]
    assert "no answer within the 10 s" in lines["dept.geojson"]


def test_the_scaling_table_gives_the_ratio_of_a_million_to_100k(capsys):
    runs = {
        label: run({"ceiling": figures(10, 500), "department": {**figures(p95, 50), "p50": p50}, "carte": None})
        for label, p95, p50 in [("10k", 20, 8), ("100k", 20, 10), ("1m", 36, 12)]
    }
    report.scaling_table(runs, {"ceiling": None, "department": None, "carte": None})
    out = capsys.readouterr().out
    assert "| department | 20.0 (50) | 20.0 (50) | 36.0 (50) | 1.80× | 1.20× |" in out
    assert "| carte | not available | not available | not available | | |" in out
