"""Load with wrk (Debian's package): a C load generator, so the figures are the server's, not the client's.

A Python client (bench/run.py had one until November 2026) tops out near half of what the minimal view serves on
this machine, so "% of the ceiling" figures measured with it were about doubled. wrk's Lua `done` callback prints
the latency percentiles and counts on one line that `parse` reads.
"""

import os
import shutil
import subprocess
import tempfile

# `paths` are cycled through, one per request (one path: the same URL every time). Browsers accept gzip.
LUA = """
local paths = {%(paths)s}
local n = 0
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  n = n + 1
  return wrk.format("GET", paths[((n - 1) %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%%d duration_us=%%d bytes=%%d connect=%%d read=%%d write=%%d status=%%d"
    .. " timeout=%%d p50_us=%%d p90_us=%%d p95_us=%%d p99_us=%%d max_us=%%d\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


class WrkError(RuntimeError):
    pass


def script(paths):
    for path in paths:
        if '"' in path or "\\" in path or "\n" in path:
            raise ValueError(f"unexpected character in {path!r}")
    return LUA % {"paths": ", ".join(f'"{path}"' for path in paths)}


def parse(output):
    """{requests, errors, rps, p50, p90, p95, p99, max (ms), bytes (per response), …} from wrk's output."""
    line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise WrkError(f"no RESULT line in wrk's output:\n{output}")
    values = dict(pair.split("=", 1) for pair in line.split()[1:])
    figures = {key: int(value) for key, value in values.items()}
    requests, seconds = figures["requests"], figures["duration_us"] / 1e6
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds if seconds else 0.0,
        "errors": errors,
        "bad_status": figures["status"],
        "timeouts": figures["timeout"],
        "bytes": figures["bytes"] / requests if requests else 0.0,
        **{key: figures[f"{key}_us"] / 1000 for key in ("p50", "p90", "p95", "p99", "max")},
    }


def run(port, paths, duration, connections, threads=2, warmup=2, timeout=10):
    """wrk against 127.0.0.1:port: `warmup` seconds not counted (connections, workers' caches), then `duration`."""
    if not shutil.which("wrk"):
        raise WrkError("wrk is not installed (apt-get install wrk).")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script(paths))
    try:
        # A 10 s timeout: on a busy machine wrk's default (2 s) would count slow answers as errors.
        command = ["wrk", "--threads", str(threads), "--connections", str(connections), "--timeout", f"{timeout}s"]
        command += ["--script", file.name]
        url = f"http://127.0.0.1:{port}{paths[0]}"
        if warmup:
            subprocess.run([*command, "--duration", f"{warmup}s", url], check=True, capture_output=True)
        done = subprocess.run([*command, "--duration", f"{duration}s", url], capture_output=True, text=True)
        if done.returncode:
            raise WrkError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
        return parse(done.stdout)
    finally:
        os.unlink(file.name)
