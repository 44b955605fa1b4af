"""Benchmark databases: localdir_bench_10k, _100k, _1m, each a copy of a template with the schema and the places.

The template (`localdir_bench_template`: migrations and `load_places`, ~10 s) is migrated again on every run, so a
new database always has main's schema; PostgreSQL copies it in a second. Listings then come from bench.pages.seed.
"""

import subprocess
import sys
import time

from .server import BASE_DIR, PG, environment, log, manage

TEMPLATE = "localdir_bench_template"
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def database_name(label):
    return f"localdir_bench_{label}"


def _connect(database="postgres"):
    import psycopg

    return psycopg.connect(**PG, dbname=database, autocommit=True)


def _exists(connection, database):
    return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is not None


def _sessions(connection, database):
    return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]).fetchone()[0]


def prepare_template():
    with _connect() as connection:
        if not _exists(connection, TEMPLATE):
            connection.execute(f'CREATE DATABASE "{TEMPLATE}"')
    env = environment(TEMPLATE)
    manage(env, "migrate", "--noinput", "-v", "0")
    with _connect(TEMPLATE) as connection:
        communes = connection.execute("SELECT count(*) FROM producers_commune").fetchone()[0]
    if not communes:
        manage(env, "load_places", "-v", "0")


def listings_in(database):
    with _connect(database) as connection:
        return connection.execute("SELECT count(*) FROM producers_listing").fetchone()[0]


def prepare(label, reuse):
    """The database of scale `label`, seeded; with `reuse`, an existing one is kept (and migrated)."""
    database, count = database_name(label), SCALES[label]
    with _connect() as connection:
        exists = _exists(connection, database)
    if exists and reuse and listings_in(database):
        manage(environment(database), "migrate", "--noinput", "-v", "0")
        log(f"Reusing {database}: {listings_in(database):,} listings.")
        return database
    prepare_template()
    with _connect() as connection:
        if exists:
            if _sessions(connection, database):
                sys.exit(f"{database} is in use: close its sessions, or run with --reuse.")
            connection.execute(f'DROP DATABASE "{database}"')
        connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{TEMPLATE}"')
    log(f"Created {database} from {TEMPLATE}; seeding {count:,} listings…")
    started = time.monotonic()
    command = [sys.executable, "-m", "bench.pages.seed", "--count", str(count)]
    subprocess.run(command, env=environment(database), cwd=BASE_DIR, check=True)
    log(f"{database} ready in {time.monotonic() - started:.0f} s.")
    return database
