"""Load French regions, departments, communes, localities and local currencies from producers/data/.

Idempotent: rows are matched on their code (INSEE code, currency slug), created when missing and updated when the
file differs; nothing is deleted, since listings point at communes. The place files are built by
scripts/build_places_data.py.
"""

import csv
import gzip
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from localdir.cache import invalidate_public_pages
from localdir.text import fold
from producers import towns
from producers.models import Commune, Department, LocalCurrency, Locality, Region

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
BATCH_SIZE = 1000
COMMUNE_FIELDS = ["name", "slug", "search_name", "department_id", "postal_codes", "population", "latitude", "longitude"]
LOCALITY_FIELDS = ["name", "search_name", "commune_id", "postal_codes", "population", "latitude", "longitude"]


def read_csv(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


class Command(BaseCommand):
    help = (
        "Load (or update) French regions, departments, communes, localities and local currencies from producers/data/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help=f"default: {DATA_DIR}")

    def handle(self, *args, data_dir, **options):
        started = time.monotonic()
        places = data_dir / "places"
        with transaction.atomic():
            regions = self.sync(
                Region,
                "code",
                ["name"],
                ({"code": row["code"], "name": row["name"]} for row in read_csv(places / "regions.csv.gz")),
            )
            region_ids = dict(Region.objects.values_list("code", "id"))
            departments = self.sync(
                Department,
                "code",
                ["name", "slug", "region_id"],
                (
                    {
                        "code": row["code"],
                        "name": row["name"],
                        "slug": slugify(row["name"]),
                        "region_id": region_ids[row["region_code"]],
                    }
                    for row in read_csv(places / "departments.csv.gz")
                ),
            )
            department_ids = dict(Department.objects.values_list("code", "id"))
            communes = self.sync(
                Commune,
                "insee_code",
                COMMUNE_FIELDS,
                (
                    {
                        "insee_code": row["insee_code"],
                        "name": row["name"],
                        "slug": slugify(row["name"]),
                        "search_name": fold(row["name"]),
                        "department_id": department_ids[row["department_code"]],
                        "postal_codes": row["postal_codes"],
                        "population": int(row["population"]),
                        "latitude": float(row["latitude"]),
                        "longitude": float(row["longitude"]),
                    }
                    for row in read_csv(places / "communes.csv.gz")
                ),
            )
            commune_ids = dict(Commune.objects.values_list("insee_code", "id"))
            localities = self.sync(
                Locality,
                ("kind", "insee_code"),
                LOCALITY_FIELDS,
                (
                    {
                        "insee_code": row["insee_code"],
                        "kind": row["kind"],
                        "name": row["name"],
                        "search_name": fold(row["name"]),
                        "commune_id": commune_ids[row["commune_insee_code"]],
                        "postal_codes": row["postal_codes"],
                        "population": int(row["population"]),
                        "latitude": float(row["latitude"]),
                        "longitude": float(row["longitude"]),
                    }
                    for row in read_csv(places / "localities.csv.gz")
                ),
            )
            currencies = self.load_currencies(data_dir / "local_currencies.csv", department_ids)
        # bulk_create() and the UPDATE below send no post_save: this process's index of names is rebuilt here.
        towns.forget_index()
        # The places kept with the public pages' cached data (the towns searched, the departments' centres) too.
        invalidate_public_pages()
        elapsed = time.monotonic() - started
        for label, (created, updated) in [
            ("regions", regions),
            ("departments", departments),
            ("communes", communes),
            ("localities", localities),
            ("local currencies", currencies),
        ]:
            self.stdout.write(f"{label}: {created} created, {updated} updated")
        self.stdout.write(self.style.SUCCESS(f"Places loaded in {elapsed:.1f} s."))

    def sync(self, model, key, fields, rows):
        """Create the rows whose key (a field, or a tuple of fields) is new and update those whose fields differ;
        returns (created, updated)."""
        keys = (key,) if isinstance(key, str) else key
        size = len(keys)
        existing = {values[:size]: values[size:] for values in model.objects.values_list(*keys, "id", *fields)}
        to_create, to_update = [], []
        for row in rows:
            current = existing.get(tuple(row[k] for k in keys))
            if current is None:
                to_create.append(model(**row))
            elif tuple(current[1:]) != tuple(row[field] for field in fields):
                to_update.append(model(id=current[0], **row))
        # bulk_create skips save(), so the rows above already carry their slug and search_name.
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            # bulk_update() builds a CASE WHEN per row and field: minutes of Python for all communes. One
            # parametrised UPDATE run with executemany() takes a fraction of a second on SQLite and PostgreSQL.
            quote = connection.ops.quote_name
            columns = ", ".join(f"{quote(model._meta.get_field(field).column)} = %s" for field in fields)
            sql = f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote(model._meta.pk.column)} = %s"
            with connection.cursor() as cursor:
                cursor.executemany(sql, [[getattr(obj, field) for field in fields] + [obj.pk] for obj in to_update])
        return len(to_create), len(to_update)

    def load_currencies(self, path, department_ids):
        created = updated = 0
        for row in read_csv(path):
            codes = row["departments"].split()
            unknown = [code for code in codes if code not in department_ids]
            if unknown:
                raise CommandError(f"{path.name}: unknown department code(s) {unknown} for {row['name']}")
            values = {"name": row["name"], "website": row["website"], "area": row["area"]}
            # Matching on the name too adopts a currency first typed in the admin under another slug.
            currency = LocalCurrency.objects.filter(Q(slug=row["slug"]) | Q(name=row["name"])).first()
            is_new = currency is None
            if is_new:
                currency = LocalCurrency.objects.create(slug=row["slug"], **values)
                changed = False
            else:
                values["slug"] = row["slug"]
                changed = any(getattr(currency, field) != value for field, value in values.items())
                if changed:
                    for field, value in values.items():
                        setattr(currency, field, value)
                    currency.save()
            wanted = {department_ids[code] for code in codes}
            if set(currency.departments.values_list("id", flat=True)) != wanted:
                currency.departments.set(wanted)
                changed = True
            created += is_new
            updated += changed and not is_new
        return created, updated
