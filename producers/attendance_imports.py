"""Importing stands at markets from a CSV file: one row per producer and market, with the producer's days.

Columns: `producer` and `market`, each the listing's address in the directory (the export's `url`), its slug, or
the `external_id` a partner's file gave it; `schedule` (optional) the producer's days in the opening-hours syntax,
empty for every market day. `read()` gives the same dry-run report as the listings' import (producers.imports),
without writing anything; `AttendanceReport.save()` then writes the valid rows in one transaction. Importing the
same file twice changes nothing; a row naming a link that exists updates its days.
"""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from localdir.spreadsheet import unprotect
from localdir.text import clean_text

from . import attendances
from .hours import validate_opening_hours
from .imports import RowsReport, csv_rows
from .models import Attendance, Listing

COLUMNS = ["producer", "market", "schedule"]


@dataclass
class AttendanceRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    producer: Listing | None = None
    market: Listing | None = None
    schedule: str = ""
    errors: list = field(default_factory=list)  # [(column, message)]
    existing: Attendance | None = None

    @property
    def action(self):
        if self.errors:
            return "error"
        if self.existing is None:
            return "create"
        return "unchanged" if self.existing.schedule == self.schedule else "update"


@dataclass
class AttendanceReport(RowsReport):
    def save(self):
        """Write the valid rows in one transaction; returns how many links were created or changed."""
        if self.file_errors:
            return 0
        written = 0
        with transaction.atomic():
            for row in self.valid_rows:
                link, created = Attendance.objects.get_or_create(
                    producer=row.producer, market=row.market, defaults={"schedule": row.schedule}
                )
                if not created and link.schedule != row.schedule:
                    link.schedule = row.schedule
                    link.save(update_fields=["schedule"])
                    written += 1
                written += created
            attendances.sync_delivery_modes({row.producer.pk for row in self.valid_rows})
        self.saved = True
        return written


def _slug_of(value):
    """The slug in a listing's address ("https://…/activites/ferme-du-lac-angers/"), or the value itself."""
    if "/" in value:
        parts = [part for part in urlparse(value).path.split("/") if part]
        return parts[-1] if parts else ""
    return value


def _find(value):
    """The listing a cell names: by slug (or address), else by external identifier; None when nothing does."""
    return (
        Listing.objects.select_related("commune").filter(slug=_slug_of(value)).first()
        or Listing.objects.select_related("commune").filter(external_id=value).first()
    )


def _check_header(columns):
    for column in ("producer", "market"):
        if column not in columns:
            yield column, _("The file has no “%(column)s” column.") % {"column": column}


def read(source):
    """The AttendanceReport of a CSV file (bytes or str); nothing is written."""
    report = AttendanceReport()
    seen = {}
    for number, row in csv_rows(source, report, COLUMNS, _check_header):
        row = {key: clean_text(unprotect(value or "")).strip() for key, value in row.items()}
        if any(row.values()):
            report.rows.append(_read_row(number, row, seen))
    return report


def _read_row(number, row, seen):
    result = AttendanceRow(number, schedule=row.get("schedule", ""))
    for column in ("producer", "market"):
        value = row.get(column, "")
        if not value:
            result.errors.append((column, _("Empty: give the listing's address, slug or external identifier.")))
            continue
        listing = _find(value)
        if listing is None:
            result.errors.append(
                (column, _("No listing has the address, slug or identifier “%(value)s”.") % {"value": value})
            )
        setattr(result, column, listing)
    if result.market is not None and result.market.kind != Listing.Kind.MARKET:
        result.errors.append(("market", _("“%(name)s” is not a market.") % {"name": result.market.name}))
    if result.producer is not None and result.producer.kind == Listing.Kind.MARKET:
        result.errors.append(
            ("producer", _("“%(name)s” is a market, not a producer.") % {"name": result.producer.name})
        )
    try:
        validate_opening_hours(result.schedule)
    except ValidationError as error:
        result.errors.extend(("schedule", message) for message in error.messages)
    if result.errors:
        return result
    key = (result.producer.pk, result.market.pk)
    if key in seen:
        result.errors.append(("producer", _("Same stand as row %(row)s.") % {"row": seen[key]}))
        return result
    seen[key] = number
    result.existing = Attendance.objects.filter(producer=result.producer, market=result.market).first()
    return result
