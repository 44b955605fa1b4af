import pytest

from bench.pages import wrk

# wrk 4.1's output for 1,054 requests cycling over "/" and "/missing" (a 404: counted as a status error).
OUTPUT = """Running 1s test @ http://127.0.0.1:18766/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.97ms    4.03ms  23.23ms   87.27%
    Req/Sec     1.06k   213.58     1.49k    80.00%
  1054 requests in 1.00s, 1.24MB read
  Non-2xx or 3xx responses: 527
Requests/sec:   1049.75
Transfer/sec:      1.23MB
RESULT requests=1054 duration_us=1004049 bytes=1297474 connect=0 read=0 write=0 status=527 timeout=0 p50_us=929\
 p90_us=8009 p95_us=11795 p99_us=19415 max_us=23225
"""


def test_the_done_callback_line_gives_milliseconds_rates_and_errors():
    figures = wrk.parse(OUTPUT)
    assert figures["requests"] == 1054
    assert figures["rps"] == pytest.approx(1049.75, abs=0.05)  # what wrk itself printed
    assert (figures["p50"], figures["p95"], figures["p99"], figures["max"]) == (0.929, 11.795, 19.415, 23.225)
    assert figures["errors"] == figures["bad_status"] == 527
    assert figures["bytes"] == pytest.approx(1231.0, abs=0.1)


def test_output_without_the_line_is_an_error_not_zeros():
    with pytest.raises(wrk.WrkError, match="no RESULT line"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_script_cycles_through_the_paths_with_gzip():
    script = wrk.script(["/a/", "/b/?q=miel"])
    assert 'local paths = {"/a/", "/b/?q=miel"}' in script
    assert 'wrk.headers["Accept-Encoding"] = "gzip"' in script
    with pytest.raises(ValueError):
        wrk.script(['/"); os.exit() --'])
