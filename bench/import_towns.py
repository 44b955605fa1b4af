"""What finding the towns costs a CSV import of listings (producers.imports.read), per row, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/localdir_bench_100k python bench/import_towns.py [--rows 5000]

Needs a database with the places loaded (`manage.py load_places`) and the categories; nothing is written (read() is
the dry run). The file is made of real communes drawn at random (seeded): most with their postal code, some without,
some by a former commune's or an arrondissement's name, a few misspelt. Prints, for the whole read and for the towns'
look-ups alone (the row's matching listing, the form's commune, and any check before them): the time per row (process
CPU time, less noisy under load than the wall clock, though still not repeatable: compare runs of the same machine
state) and the queries per row, which are repeatable. The process's index of names is built before timing.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/localdir_bench_100k")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localdir.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from producers import imports, towns  # noqa: E402
from producers.forms.listing import ListingForm  # noqa: E402
from producers.models import Category, Commune, Locality  # noqa: E402

settings.DEBUG = False
HEADER = ["name", "kind", "categories", "commune", "postal_code", "phone", "opening_hours"]


def rows(count, seed=1):
    rng = random.Random(seed)
    communes = list(Commune.objects.values_list("name", "postal_codes"))
    localities = list(Locality.objects.values_list("name", "kind", "postal_codes", "commune__postal_codes"))
    category = Category.objects.values_list("slug", flat=True).first()
    made = []
    for n in range(count):
        draw = rng.random()
        if draw < 0.1:  # a former commune or an arrondissement
            name, kind, own, theirs = rng.choice(localities)
            name = name.replace(" Arrondissement", "") if kind == Locality.Kind.ARRONDISSEMENT else name
            postal_code = rng.choice((own or theirs).split() or [""]) if rng.random() < 0.6 else ""
        else:
            name, codes = rng.choice(communes)
            postal_code = rng.choice(codes.split() or [""]) if rng.random() < 0.7 else ""
            if draw > 0.97:  # misspelt: two letters swapped
                at = rng.randrange(1, max(len(name) - 1, 2))
                name = name[: at - 1] + name[at : at + 1] + name[at - 1 : at] + name[at + 1 :]
        made.append([f"Ferme {n}", "producer", category, name, postal_code, "02 41 00 00 00", "Mo-Fr 09:00-12:00"])
    return made


def as_csv(made):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(made)
    return out.getvalue()


class Meter:
    """Queries run, and the CPU time and queries spent inside the wrapped functions (not counted twice when one calls
    another). Queries are counted by an execute wrapper: connection.queries keeps the last 9,000 only."""

    def __init__(self):
        self.all_queries, self.seconds, self.queries, self.depth = 0, 0.0, 0, 0

    def __call__(self, execute, sql, params, many, context):
        self.all_queries += 1
        return execute(sql, params, many, context)

    def wrap(self, owner, name):
        original = getattr(owner, name)

        def wrapped(*args, **kwargs):
            self.depth += 1
            started, before = time.process_time(), self.all_queries
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                if not self.depth:
                    self.seconds += time.process_time() - started
                    self.queries += self.all_queries - before

        setattr(owner, name, wrapped)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    options = parser.parse_args()
    towns.index()
    text = as_csv(rows(options.rows))
    imports.read(as_csv(rows(50, seed=2)))  # warm: forms, templates of messages, cached places
    meter = Meter()
    # The towns' look-ups, whichever the code has: the matching listing's commune, the form's, the check for homonyms
    # before them (producers.imports._homonyms before 2026-11-30) or the file's towns found together.
    meter.wrap(imports._Matcher, "_commune")
    meter.wrap(ListingForm, "_resolve_commune")
    if hasattr(imports, "_homonyms"):
        meter.wrap(imports, "_homonyms")
    if hasattr(towns, "CommuneReader"):  # the file's towns found together, before its rows (since 2026-11-30)
        meter.wrap(towns.CommuneReader, "prefetch")
    with connection.execute_wrapper(meter):
        started = time.process_time()
        report = imports.read(text)
        seconds = time.process_time() - started
    count = len(report.rows)
    errors = sum(1 for row in report.rows if row.errors)
    print(f"{connection.vendor}, {count} rows ({errors} with errors)")
    print(f"  whole read: {seconds / count * 1000:.2f} ms CPU a row, {meter.all_queries / count:.2f} queries a row")
    print(f"  towns:      {meter.seconds / count * 1000:.2f} ms CPU a row, {meter.queries / count:.2f} queries a row")


if __name__ == "__main__":
    main()
