"""Published listings per department and commune, stored on their rows and recounted when a listing changes.

The home page shows a count per department: counting them on every request scanned every listing (270 ms at
100,000 listings). producers.signals recounts the departments and communes a listing leaves or enters, once its
transaction has committed; seed_demo, which bypasses save(), recounts everything.
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Commune, Department, Listing


def _published_per(field, using):
    return Subquery(
        Listing.objects.using(using)
        .published()
        .filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )


def recount(department_ids=(), commune_ids=(), using=None):
    """Count again the published listings of these departments and communes (ids; None is ignored).

    Recounts of the same rows take turns: each locks its rows (FOR NO KEY UPDATE, which listings pointing at them
    do not wait for), then counts in a statement begun after the previous recount committed. Whatever order two
    publications' recounts run in, the last one counts both.
    """
    with transaction.atomic(using=using):
        for model, field, ids in ((Department, "department", department_ids), (Commune, "commune", commune_ids)):
            ids = sorted({pk for pk in ids if pk is not None})
            if not ids:
                continue
            rows = model.objects.using(using).filter(pk__in=ids)
            list(rows.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
            rows.update(listing_count=Coalesce(_published_per(field, using), Value(0)))


def recount_all(using=None):
    """Every department and commune counted again (after bulk inserts, or to repair counts); returns how many stored
    counts changed.

    One grouped count per level, then one UPDATE per distinct new count, of the rows whose count changed only: a
    correlated count per commune took 8 s at 100,000 listings.
    """
    corrected = 0
    with transaction.atomic(using=using):
        for model, field in ((Department, "department"), (Commune, "commune")):
            published = Listing.objects.using(using).published().order_by().values_list(field)
            counted = dict(published.annotate(n=Count("pk")).values_list(field, "n"))
            rows = model.objects.using(using)
            changed = {}
            for pk, stored in rows.values_list("pk", "listing_count").iterator(chunk_size=10_000):
                if counted.get(pk, 0) != stored:
                    changed.setdefault(counted.get(pk, 0), []).append(pk)
            for n, pks in changed.items():
                corrected += rows.filter(pk__in=pks).update(listing_count=n)
    return corrected


def repair_category_ids(using=None):
    """On PostgreSQL, the category ids stored on each listing's row (migration 0020, kept by triggers) written again
    where they differ from its links; returns how many were wrong. Elsewhere nothing is stored: 0.

    Triggers keep them on every change, but a link written before its listing in one transaction, or with the
    triggers disabled (a restore, a COPY by hand), leaves them wrong and the category filter with it. The listings
    found wrong are locked before they are read again, as the triggers do: a change committed meanwhile is kept."""
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return 0
    links = "SELECT category_id FROM producers_listing_categories WHERE listing_id = listing.id ORDER BY category_id"
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM producers_listing AS listing WHERE category_ids <> ARRAY({links})")
        wrong = [pk for (pk,) in cursor.fetchall()]
        if wrong:
            cursor.execute("SELECT 1 FROM producers_listing WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", [wrong])
            cursor.execute(
                f"UPDATE producers_listing AS listing SET category_ids = ARRAY({links}) WHERE id = ANY(%s)", [wrong]
            )
    return len(wrong)
