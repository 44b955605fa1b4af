"""Public pages read from a PostgreSQL read replica when one is configured (DATABASE_REPLICA_URL).

Only the views decorated with public_page (localdir/cache.py) read there, and only for visitors the page cache
serves (no cookie but the CSRF one): these pages are cached for PAGE_CACHE_SECONDS anyway, so a replica a few
seconds behind changes nothing a shopper can see. Everything else, and every write, uses the primary: a producer
who just sent a form, or a volunteer deciding in the admin, always reads what they wrote.
"""

from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"
_public_read = ContextVar("localdir_public_read", default=False)


@contextmanager
def reading_public_pages():
    """Within this block, reads may go to the replica."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _public_read.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from either relate

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
