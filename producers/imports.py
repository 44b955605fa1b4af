"""Importing listings from a CSV file with the columns of the export (docs/open-data.md), plus `external_id`.

Every row goes through ListingForm, the rules of every other way in. `read()` gives a report (row number,
column, message) without writing anything; `ImportReport.save()` then writes the valid rows in one
transaction. A row updates the listing with the same `external_id`, else the one with the same name (accents
and case ignored) in the same commune, so importing the same file twice creates no duplicates. An update changes
only the columns the file has: a partner's file with a few columns must not wipe the others. A listing that
moderators refused or its producer withdrew is never brought back by a file: its row is an error.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from localdir.spreadsheet import unprotect
from localdir.text import clean_text, fold

from . import towns
from .forms.listing import ListingForm
from .listing_data import (
    FIELDS,
    IGNORED_COLUMNS,
    KNOWN_COLUMNS,
    MULTILINE_COLUMNS,
    OPTIONAL_COLUMNS,
    SPLIT_COLUMNS,
    TEXT_COLUMNS,
    changed_fields,
    filled_fields,
    public_changes,
    serialize_listing,
)
from .models import Listing

MAX_BYTES = 5 * 1024 * 1024
# Refused by moderators, or withdrawn by the producer: a partner's file must not bring them back.
CLOSED_STATUSES = {Listing.Status.REJECTED, Listing.Status.UNPUBLISHED}
# A form field's errors belong to the column the person filled in.
FIELD_COLUMNS = {"__all__": ""}
# An `email_public` cell: only a plain "yes" shows a new listing's address on the listing page. Without one the
# address is private, kept for the volunteers and the private edit link, as on the sign-up form until the producer
# ticks the box: a partner's file is no producer's consent. On a listing that exists a file may hide an address,
# never show one (_email_of_an_update).
SHOWN = {"oui", "yes", "1", "true", "vrai", "x"}
NOT_SHOWN = {"non", "no", "0", "false", "faux", ""}


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it in France."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text):
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        # One column only, or the sniffer hesitated: the most frequent candidate in the header line.
        return max(",;\t", key=header.count)


@dataclass
class RowResult:
    number: int  # as a spreadsheet numbers it: the header is row 1
    external_id: str
    form: ListingForm | None = None
    errors: list = field(default_factory=list)  # [(column, message)]
    slug: str = ""
    changes: list = field(default_factory=list)  # the fields the row sets (a new listing) or changes (an update)

    @property
    def action(self):
        if self.errors:
            return "error"
        return "update" if self.form.instance.pk else "create"

    @property
    def name(self):
        return self.form.data.get("name", "") if self.form is not None else ""

    def change_labels(self):
        return [Listing._meta.get_field(name).verbose_name for name in self.changes]


@dataclass
class RowsReport:
    """What a dry-run report of any import says of its `rows` and `file_errors` (listings, stands at markets)."""

    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)  # [(column, message)] about the file as a whole
    ignored_columns: list = field(default_factory=list)
    saved: bool = False

    @property
    def errors(self):
        """[(row number, column, message)], the file's own problems first (row 1, the header)."""
        found = [(1, column, message) for column, message in self.file_errors]
        for row in self.rows:
            found.extend((row.number, column, message) for column, message in row.errors)
        return found

    @property
    def valid_rows(self):
        return [row for row in self.rows if not row.errors]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)


@dataclass
class ImportReport(RowsReport):
    published: list = field(default_factory=list)  # the new listings save() published, for the decisions log

    def save(self, publish=False):
        """Write the valid rows in one transaction; new listings are pending unless `publish`.

        Existing listings keep their status: a pending one still needs a volunteer's review, whoever sent the file.
        """
        if self.file_errors:
            return 0
        now = timezone.now()
        with transaction.atomic():
            for row in self.valid_rows:
                listing = row.form.save(commit=False)
                is_new = listing.pk is None
                if publish and is_new:
                    listing.status = Listing.Status.PUBLISHED
                    self.published.append(listing)
                public = public_changes(row.changes, listing.email_public)
                if not is_new and public and listing.status == Listing.Status.PUBLISHED:
                    listing.changed_at = now  # a published listing updated: news for the feeds and alerts
                if row.external_id:
                    listing.external_id = row.external_id
                if is_new and row.slug and not Listing.objects.filter(slug=row.slug).exists():
                    listing.slug = row.slug
                listing.save()
                row.form.save_m2m()
        self.saved = True
        return len(self.valid_rows)


def form_data(row):
    """The CSV row as ListingForm data: lists where the export joined values with "|"."""
    data = {}
    for column, value in row.items():
        if column in IGNORED_COLUMNS or column in OPTIONAL_COLUMNS:
            continue
        value = (value or "").strip()
        if column in SPLIT_COLUMNS:
            data[column] = [item.strip() for item in value.split("|") if item.strip()]
        elif column in MULTILINE_COLUMNS:
            data[column] = "\n".join(item.strip() for item in value.replace("\r", "").replace("|", "\n").split("\n"))
        else:
            data[column] = value
    # A new listing's: present only where the file has the column, and about this row's address (an update's is
    # decided by _email_of_an_update).
    if "email_public" in row and data.get("email"):
        data["email_public"] = "on" if _email_public(row) in SHOWN else ""
    return data


def _email_public(row):
    return (row.get("email_public") or "").strip().lower()


class _Matcher:
    """Finds the listing a row is about: by external_id, else by folded name in the same commune."""

    def __init__(self, communes):
        self.by_commune = {}
        self.communes = communes  # producers.towns.CommuneReader

    def existing(self, external_id, data):
        """(listing, the column that matched it), or (None, "")."""
        if external_id:
            listing = Listing.objects.filter(external_id=external_id).first()
            if listing is not None:
                return listing, "external_id"
        commune = self._commune(data)
        if commune is None:
            return None, ""
        if commune.pk not in self.by_commune:
            self.by_commune[commune.pk] = list(Listing.objects.filter(commune=commune))
        name = fold(data.get("name", ""))
        same = [
            listing
            for listing in self.by_commune[commune.pk]
            if fold(listing.name) == name and not (external_id and listing.external_id)
        ]
        # A refused namesake only blocks the row when no live listing has that name.
        same.sort(key=lambda listing: listing.status in CLOSED_STATUSES)
        return (same[0], "name") if same else (None, "")

    def _commune(self, data):
        code = (data.get("insee_code") or "").strip().upper()
        if code:
            return self.communes.by_insee(code)
        return self.communes(data.get("commune", ""), data.get("postal_code") or "").commune


def csv_rows(source, report, known_columns, check_header):
    """The rows of a CSV file (bytes or str) as (row number, {column: raw cell}), the known columns only.

    The file's own problems (too large, empty, a header `check_header(columns)` finds wanting, a row the csv module
    cannot read) go to `report.file_errors` and end the rows; its unknown columns go to `report.ignored_columns`.
    Row numbers are a spreadsheet's: the header is row 1. Cleaning the cells is the caller's.
    """
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            report.file_errors.append(("", _("The file is larger than 5 MB: split it.")))
            return
        source = decode(source)
    text = source.lstrip("\ufeff")
    if not text.strip():
        report.file_errors.append(("", _("The file is empty.")))
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    last = 0  # the last row read
    try:
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
        last = 1
        report.ignored_columns = [name for name in reader.fieldnames if name not in known_columns]
        report.file_errors.extend(check_header(set(reader.fieldnames)))
        if report.file_errors:
            return
        for last, row in enumerate(reader, start=2):
            yield last, {key: value for key, value in row.items() if key in known_columns}
    except csv.Error as error:
        # The csv module cannot go past the row it failed on: the file as a whole is refused.
        report.rows = []
        report.file_errors.append(("", _unreadable(last + 1, error)))


def _check_header(columns):
    if "name" not in columns:
        yield "name", _("The file has no “name” column (is the first line the header?).")
    if not columns & {"commune", "insee_code"}:
        yield "commune", _("The file needs a “commune” or an “insee_code” column.")


def read(source, form_class=ListingForm):
    """The ImportReport of a CSV file (bytes or str); nothing is written."""
    report = ImportReport()
    rows = []
    for number, row in csv_rows(source, report, KNOWN_COLUMNS, _check_header):
        # The export protects cells a spreadsheet would run as formulas (localdir.spreadsheet). Control characters
        # never belong in a listing, and PostgreSQL refuses NUL outright: every cell is cleaned as the forms clean
        # what is typed (localdir.text.clean_text), line breaks kept in the columns that hold several lines.
        row = {key: clean_text(unprotect(value), key in TEXT_COLUMNS) for key, value in row.items()}
        if any((value or "").strip() for value in row.values()):
            rows.append((number, row))
    if report.file_errors:
        return report  # a file the csv module could not read to its end has no rows
    # The towns of the whole file are found together: a query for each town cost a 5,000-row file as many
    # (docs/performance.md, "Town look-ups").
    communes = towns.CommuneReader()
    communes.prefetch(
        [(row.get("commune") or "", row.get("postal_code") or "") for _number, row in rows],
        [code.strip().upper() for _number, row in rows if (code := row.get("insee_code") or "").strip()],
    )
    matcher, seen = _Matcher(communes), {}
    for number, row in rows:
        report.rows.append(_read_row(number, row, matcher, seen, form_class, communes))
    return report


def _unreadable(number, error):
    if str(error).startswith("field larger than field limit"):
        message = _(
            "Row %(row)s has a cell larger than %(size)s KB: the file cannot be read. Is a quotation mark left open?"
        )
        return message % {"row": number, "size": csv.field_size_limit() // 1024}
    return _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": number, "error": error}


def _read_row(number, row, matcher, seen, form_class, communes):
    external_id = (row.get("external_id") or "").strip()
    slug = slugify(row.get("slug") or "")
    # Not a slug of ours (the export's fit the column): the listing gets one from its name.
    if len(slug) > Listing._meta.get_field("slug").max_length:
        slug = ""
    result = RowResult(number, external_id, slug=slug)
    if external_id:
        try:
            Listing._meta.get_field("external_id").formfield().clean(external_id)
        except ValidationError as error:
            result.errors.extend(("external_id", message) for message in error.messages)
    if _email_public(row) not in SHOWN | NOT_SHOWN:
        message = _("Write “oui” to show the email address on the listing page, or “non” to keep it private.")
        result.errors.append(("email_public", message))
    if result.errors:
        return result
    data = form_data(row)
    instance, matched_by = matcher.existing(external_id, data)
    if instance is not None and instance.status in CLOSED_STATUSES:
        message = _("This listing was refused or withdrawn by its producer; it cannot be imported again.")
        result.errors.append((matched_by, message))
        return result
    if instance is not None:
        _email_of_an_update(data, row, instance)
    result.form = form_class(data, instance=instance, communes=communes)
    before = None
    if instance is not None:
        _keep_absent_fields(result.form, data)
        before = serialize_listing(instance)  # cleaning writes the new values onto the instance
    if not result.form.is_valid():
        for name, errors in result.form.errors.items():
            column = FIELD_COLUMNS.get(name, name)
            result.errors.extend((column, message) for message in errors)
    else:
        key = external_id or (fold(data.get("name")), result.form.cleaned_data["commune"].pk)
        if key in seen:
            message = _("Same listing as row %(row)s.") % {"row": seen[key]}
            result.errors.append(("external_id" if external_id else "name", message))
        seen.setdefault(key, number)
        cleaned = result.form.cleaned_data
        result.changes = filled_fields(cleaned) if before is None else changed_fields(before, cleaned)
    return result


def _keep_absent_fields(form, data):
    """Leave out of an update's form the fields the file does not fill: the listing keeps its values.

    A column the file lacks means "unchanged" (a partner's file often has a few columns); an empty cell in a
    column it has means "clear it". The commune is always given (the file needs a commune or insee_code column).
    """
    absent = {name for name in FIELDS if name not in data} - {"commune"}
    if not data.get("email"):
        # The export leaves out the addresses producers keep private: an empty cell must not erase them.
        absent |= {"email", "email_public"}
    for name in absent:
        form.fields.pop(name, None)


def _email_of_an_update(data, row, listing):
    """Whether an update shows the row's address: a file may hide it, never show it.

    Whether the address is shown is the producer's choice (the box on their private link), or a volunteer's in the
    admin: a partner's `oui` is no producer's consent, and an empty cell is the file saying nothing. So the stored
    address again (case aside) keeps that choice unless the row says `non`; another address is private, as a new
    listing's without an `email_public` column, whatever the row says.
    """
    if not data.get("email"):
        return  # _keep_absent_fields keeps the address and the choice
    if data["email"].lower() != listing.email.lower() or _email_public(row) in NOT_SHOWN - {""}:
        data["email_public"] = ""
    else:
        data.pop("email_public", None)  # absent from the form: the listing keeps its value
