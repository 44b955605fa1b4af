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


# Indexes this database cannot use yet: built on a table holding dead row versions (pg_index.indcheckxmin), an index
# serves only transactions that start after every transaction older than it has ended, on the whole server.
UNUSABLE_INDEXES = """
SELECT DISTINCT i.indexrelid::regclass::text, a.datname, a.pid FROM pg_index i, pg_stat_activity a
WHERE i.indcheckxmin AND a.pid <> pg_backend_pid()
  AND greatest(age(a.backend_xid), age(a.backend_xmin)) >= age(i.xmin)
"""


def wait_for_indexes(database, timeout=900):
    """Wait (up to `timeout` s) until every index can be used: another database's long transaction (a CREATE INDEX
    of a million rows) would otherwise have the pages measured without the indexes main created."""
    deadline = time.monotonic() + timeout
    while True:
        with _connect(database) as connection:
            waiting = connection.execute(UNUSABLE_INDEXES).fetchall()
        if not waiting:
            return True
        if time.monotonic() > deadline:
            log(f"WARNING: measuring {database} while indexes are not usable yet: {waiting}")
            return False
        log(
            f"  waiting: {', '.join(sorted({w[0] for w in waiting}))} unusable until session {waiting[0][2]}"
            f" (database {waiting[0][1]}) ends its transaction…"
        )
        time.sleep(20)


def configure(database):
    """As docs/deployment.md recommends for a database in memory or on SSD (the planner's cost of a random read)."""
    with _connect() as connection:
        connection.execute(f'ALTER DATABASE "{database}" SET random_page_cost = 1.1')


def prepare(label, reuse):
    """The database of scale `label`, seeded; with `reuse`, an existing one is kept (and migrated)."""
    database, count = database_name(label), SCALES[label]
    with _connect() as connection:
        exists = _exists(connection, database)
    if exists and reuse and listings_in(database):
        configure(database)
        manage(environment(database), "migrate", "--noinput", "-v", "0")
        log(f"Reusing {database}: {listings_in(database):,} listings.")
        wait_for_indexes(database)
        return database
    prepare_template()
    with _connect() as connection:
        if exists:
            if _sessions(connection, database):
                sys.exit(f"{database} is in use: close its sessions, or run with --reuse.")
            connection.execute(f'DROP DATABASE "{database}"')
        connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{TEMPLATE}"')
    configure(database)
    log(f"Created {database} from {TEMPLATE}; seeding {count:,} listings…")
    started = time.monotonic()
    command = [sys.executable, "-m", "bench.pages.seed", "--count", str(count)]
    subprocess.run(command, env=environment(database), cwd=BASE_DIR, check=True)
    wait_for_indexes(database)
    log(f"{database} ready in {time.monotonic() - started:.0f} s.")
    return database
