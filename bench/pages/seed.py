"""Benchmark listings over all of France in minutes, written with PostgreSQL COPY (plain INSERTs on SQLite).

    DATABASE_URL=… python -m bench.pages.seed --count 1000000 [--seed 1] [--pool 20000]

The listings are `manage.py seed_demo --all-france`'s: its vocabulary and profiles, communes drawn by population
(so Nord holds ~3.8 % of them), ~2 % pending, search documents from producers.search. But seed_demo builds every
listing in Python (Faker, stems: ~1 ms each), 15 to 30 minutes for a million on a shared machine. Here seed_demo
builds a pool of --pool listings; every further listing is a pool listing moved to another commune drawn by
population, with its own point near it, slug, postal code, department, local currency, status and dates. Its texts
may name the pool listing's town: what pages query (place, status, categories, slots, search stems) is as the app
writes it. Opening slots are copied from what Listing.save() stores for the same hours (captured once per
expression in a rolled-back transaction), not derived again here.

On PostgreSQL, the secondary indexes of the five tables are dropped during the load and built again after (building
an index once is several times faster than maintaining it row by row), and foreign keys are not checked row by row
(`session_replication_role = replica`: the rows are built from ids read in the same database). tests/bench checks
that a seeded listing stays the same when the app saves it again.
"""

import argparse
import datetime
import os
import random
import sys
import time
from array import array
from pathlib import Path

POOL = 100_000
PENDING_SHARE = 0.02  # as seed_demo


def log(message):
    print(message, flush=True)


class Seeder:
    """seed_demo's listing builder (its command object), and what it takes to copy its listings elsewhere."""

    def __init__(self, seed):
        from django.utils import timezone
        from django.utils.text import slugify
        from faker import Faker

        from producers.management.commands.seed_demo import Command

        self.slugify = slugify
        self.command = command = Command()
        command.rng = random.Random(seed)
        command.fake = Faker("fr_FR")
        command.fake.seed_instance(seed)
        command._load_reference_data(None)
        self.rng = command.rng
        self.now = timezone.now()
        self.commune_slugs = {}

    def picks(self, count):
        """(pk, name, postal_codes, population, latitude, longitude, department_id) of `count` communes."""
        return self.command._pick_communes(count, all_france=True)

    def build(self, commune):
        """(listing, category ids, currency ids, [(mode id, details)]): a new listing as seed_demo builds it."""
        built = self.command._build_listing(commune)
        # Publishing confirms the listing's information (Listing.save() sets it; seed_demo does not, yet).
        built[0].confirmed_at = built[0].published_at
        built[0].changed_at = built[0].published_at
        return built

    def moved(self, listing, commune):
        """The column values that change when `listing` (a pool listing) is placed in `commune` instead."""
        from producers.models import Listing

        rng, command = self.rng, self.command
        commune_id, commune_name, postal_codes, _, latitude, longitude, department_id = commune
        latitude, longitude = command._near(latitude, longitude)
        if commune_id not in self.commune_slugs:
            self.commune_slugs[commune_id] = self.slugify(commune_name)
        if not hasattr(listing, "name_slug"):
            listing.name_slug = self.slugify(listing.name)
        base = f"{listing.name_slug}-{self.commune_slugs[commune_id]}"[:150].strip("-")
        slug, n = base, 2
        while slug in command.slugs:
            slug, n = f"{base}-{n}", n + 1
        command.slugs.add(slug)
        published = rng.random() >= PENDING_SHARE
        published_at = self.now - datetime.timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)) if published else None
        return {
            "slug": slug,
            "commune_id": commune_id,
            "postal_code": postal_codes.split()[0] if postal_codes else "",
            "department_id": department_id,
            "latitude": latitude,
            "longitude": longitude,
            "status": Listing.Status.PUBLISHED if published else Listing.Status.PENDING,
            "published_at": published_at,
            "confirmed_at": published_at,
            "changed_at": published_at,
            "created_at": published_at or self.now,
            "updated_at": published_at or self.now,
        }, command._currencies(department_id)


def opening_slot_rows(expressions, commune_id):
    """{hours: [row]}: the opening slots Listing.save() stores for each expression, read back from a listing saved
    in a transaction that is then rolled back, and the columns of those rows (without id and listing)."""
    from django.db import connection, transaction

    from producers.models import Listing, OpeningSlot

    fields = [f for f in OpeningSlot._meta.concrete_fields if f.name not in ("id", "listing")]
    rows = {}
    with transaction.atomic():
        for expression in expressions:
            listing = Listing(name="Slots", commune_id=commune_id, opening_hours=expression)
            listing.save()
            rows[expression] = [
                tuple(f.get_db_prep_save(getattr(slot, f.attname), connection) for f in fields)
                for slot in OpeningSlot.objects.filter(listing=listing).order_by("pk")
            ]
        transaction.set_rollback(True)
    return [f.column for f in fields], rows


class Writer:
    """Rows into tables: COPY on PostgreSQL, executemany elsewhere. Indexes are dropped meanwhile on PostgreSQL."""

    def __init__(self, connection, models):
        self.connection = connection
        self.postgresql = connection.vendor == "postgresql"
        self.tables = [m._meta.db_table for m in models]
        self.indexes = []

    def __enter__(self):
        if self.postgresql:
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                # Indexes that back no constraint (primary and unique keys stay: the load relies on them).
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                    " WHERE i.indrelid::regclass::text = ANY(%s)"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    [self.tables],
                )
                self.indexes = cursor.fetchall()
                for name, _ in self.indexes:
                    cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, *exc):
        if self.postgresql and exc[0] is None:
            started = time.monotonic()
            with self.connection.cursor() as cursor:
                for _, definition in self.indexes:
                    cursor.execute(definition)
                cursor.execute("SET LOCAL session_replication_role = origin")
            log(f"  {len(self.indexes)} indexes built again: {time.monotonic() - started:.0f} s")

    def write(self, model, columns, rows):
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgresql:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == 5000:
                        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)
                        count, batch = count + len(batch), []
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)
                count += len(batch)
        return count


def seed(count, seed=1, pool=POOL):
    """Add `count` listings over France with their categories, currencies, delivery modes and opening slots."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from producers import counts
    from producers.models import Listing, ListingDelivery, OpeningSlot

    started = time.monotonic()
    pool = min(pool, count)
    seeder = Seeder(seed)
    picks = seeder.picks(count)
    built = [seeder.build(commune) for commune in picks[:pool]]
    log(f"  {len(built):,} listings built by seed_demo: {time.monotonic() - started:.0f} s")

    fields = Listing._meta.concrete_fields
    columns = [f.column for f in fields]
    # PostgreSQL stores each listing's category ids on its row too (migration 0020): its triggers on the link table
    # keep them, but this load runs without triggers (session_replication_role = replica).
    category_ids = connection.vendor == "postgresql"
    if category_ids:
        columns.append("category_ids")
    position = {f.attname: i for i, f in enumerate(fields)}
    templates = [[f.get_db_prep_save(getattr(listing, f.attname), connection) for f in fields] for listing, *_ in built]
    slot_columns, slots = opening_slot_rows(sorted({b[0].opening_hours for b in built}), picks[0][0])

    with transaction.atomic():
        first = (Listing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        currencies = array("q")  # per listing: its local currency, 0 for none

        def listings():
            for i, commune in enumerate(picks):
                row = list(templates[i % pool])
                row[position["id"]] = first + i
                if category_ids:
                    row.append(sorted(built[i % pool][1]))
                if i < pool:
                    currency = built[i][2]
                else:
                    changes, currency = seeder.moved(built[i % pool][0], commune)
                    for name, value in changes.items():
                        row[position[name]] = value
                currencies.append(currency[0] if currency else 0)
                yield row

        through = {"categories": Listing.categories.through, "currencies": Listing.currencies.through}
        models = [Listing, through["categories"], through["currencies"], ListingDelivery, OpeningSlot]
        with Writer(connection, models) as writer:
            step = time.monotonic()
            written = writer.write(Listing, columns, listings())
            log(f"  {written:,} listings: {time.monotonic() - step:.0f} s")
            step = time.monotonic()
            ids = range(first, first + count)
            links = writer.write(
                through["categories"],
                ["listing_id", "category_id"],
                ((pk, c) for i, pk in enumerate(ids) for c in built[i % pool][1]),
            )
            accepted = writer.write(
                through["currencies"],
                ["listing_id", "localcurrency_id"],
                ((pk, c) for pk, c in zip(ids, currencies, strict=True) if c),
            )
            deliveries = writer.write(
                ListingDelivery,
                ["listing_id", "mode_id", "details"],
                ((pk, mode, details) for i, pk in enumerate(ids) for mode, details in built[i % pool][3]),
            )
            opening = writer.write(
                OpeningSlot,
                ["listing_id", *slot_columns],
                ((pk, *slot) for i, pk in enumerate(ids) for slot in slots[built[i % pool][0].opening_hours]),
            )
            log(
                f"  {links:,} category links, {accepted:,} local currencies, {deliveries:,} delivery modes,"
                f" {opening:,} opening slots: {time.monotonic() - step:.0f} s"
            )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # The published counts the home page shows are stored per department and commune (producers.counts).
        step = time.monotonic()
        counts.recount_all()
        log(f"  published counts per department and commune: {time.monotonic() - step:.0f} s")
    log(f"Seeded {count:,} listings in {time.monotonic() - started:.0f} s.")
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pool", type=int, default=POOL, help=f"listings built by seed_demo (default {POOL:,})")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localdir.settings")
    import django

    django.setup()
    from django.db import connection

    seed(args.count, args.seed, args.pool)
    if connection.vendor == "postgresql":
        # Statistics for the planner and a visibility map for index-only scans, as autovacuum would leave them.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
