"""The server under test: production settings on a benchmark database, gunicorn started and always stopped.

Kept free of Django (Django runs in manage.py and gunicorn subprocesses), so that what the benchmark process does
costs the server nothing but the load itself.
"""

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def log(message=""):
    print(message, flush=True)


def environment(database, static_root=None, **extra):
    """Production settings (DEBUG off, no Redis: local-memory cache) on `database`, for manage.py and gunicorn."""
    static_root = static_root or Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/localdir_bench_static"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(BASE_DIR),
        **{key: str(value) for key, value in extra.items()},
    }
    env.pop("REDIS_URL", None)
    return env


def by_hand(argv):
    """Run again the command `argv` with the benchmark server's settings (`environment()`: DEBUG off, the static
    files' manifest, on the database DATABASE_URL names) unless the environment already says DEBUG. For the
    in-process scripts (bench/profile_urls.py, bench/callgrind_urls.py) run by hand: with DEBUG on by default they
    measured a development server (every query logged, plain static files), not what production runs."""
    if "DEBUG" in os.environ:
        return
    from urllib.parse import urlsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a benchmark database (postgres://…/localdir_bench_100k), or DEBUG to run as is.")
    env = environment(urlsplit(url).path.lstrip("/"))
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v", "0")
    os.execve(sys.executable, [sys.executable, *argv], env)


def manage(env, *args, capture=False):
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    result = subprocess.run(command, env=env, cwd=BASE_DIR, check=True, text=True, capture_output=capture)
    return result.stdout if capture else None


def django_query(env, code):
    """Run `code` in `manage.py shell` and return what it prints last, as JSON."""
    return json.loads(manage(env, "shell", "-v", "0", "-c", code, capture=True).strip().splitlines()[-1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers, chdir=BASE_DIR, settings="bench.settings", extra=()):
    """gunicorn serving the code in `chdir` (another checkout can be measured) with the given settings module."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "localdir.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--env",
        f"DJANGO_SETTINGS_MODULE={settings}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        "--timeout",
        "60",
        *extra,
    ]
    server = subprocess.Popen(command, env=env, cwd=chdir, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            status, _, _ = fetch(port, "/bench/ceiling/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fetch(port, path, connection=None, gzip_ok=True):
    """(status, Content-Encoding, body) of a GET."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Encoding", ""), body
    finally:
        if own:
            connection.close()


def percentile(values, p):
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def load_average():
    return os.getloadavg()[0]
