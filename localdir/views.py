import uuid

from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import connection, connections
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .db_router import REPLICA


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: whatever broke the page may break context processors too.
    return HttpResponseServerError(loader.get_template("500.html").render())


@never_cache
@require_safe
def health(request):
    """/sante/, for a load balancer or monitoring: "ok" once the database (and the read replica, when there is one)
    answered a query and the cache gave back what was put in it; else 503 naming which failed, and nothing more (no
    error text: it is a public address). Never cached, by the page cache or anyone (a stale "ok" would hide an
    outage)."""
    if not _answers(connection):
        return _unhealthy("database unavailable")
    # Anonymous visitors' pages read the replica (localdir/db_router.py): without it most traffic gets errors.
    if REPLICA in connections and not _answers(connections[REPLICA]):
        return _unhealthy("replica unavailable")
    # A key of its own: two checks at once must not read each other's value.
    key = f"health.{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, timeout=10)
        answered = cache.get(key) == 1
        cache.delete(key)
    except Exception:  # each cache backend raises its own errors (Redis's, memcached's, the disk's)
        answered = False
    if not answered:
        return _unhealthy("cache unavailable")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _answers(database):
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _unhealthy(reason):
    return HttpResponse(reason, status=503, content_type="text/plain; charset=utf-8")
