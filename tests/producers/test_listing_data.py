"""A listing as data: every place that lists a listing's fields agrees with producers.listing_data.FIELDS."""

import ast
import re
from pathlib import Path

import pytest

from moderation import review
from moderation.forms import SubmissionForm
from moderation.models import EditToken
from producers import listing_data
from producers.admin import ListingAdmin
from producers.forms.listing import ListingForm
from producers.listing_data import COLUMNS, FIELDS, PERSONAL_FIELDS
from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory, delivery_mode
from tests.producers.test_exports import full_listing

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_listing_form_has_exactly_the_listings_fields():
    # insee_code is a second way of giving the commune, not a value of its own.
    assert set(ListingForm.base_fields) - {"insee_code"} == set(FIELDS)


def test_the_submission_form_shows_every_field_in_one_section():
    shown = [name for _legend, names in SubmissionForm.fieldsets for name in names]
    assert set(FIELDS) <= set(shown)
    assert len(shown) == len(set(shown))


def test_the_listing_admin_shows_every_field():
    shown = {name for _title, options in ListingAdmin.fieldsets for name in options["fields"]}
    # Delivery modes carry details: the admin edits them in their own inline.
    inlines = {inline.model._meta.model_name for inline in ListingAdmin.inlines}
    assert set(FIELDS) - {"delivery_modes"} <= shown
    assert "listingdelivery" in inlines


def test_a_listing_serialized_and_applied_to_another_is_the_same_listing(towns):
    source = full_listing()
    target = ListingFactory(name="Autre", commune=towns["bordeaux"])
    listing_data.apply_values(target, listing_data.serialize_listing(source))
    target = Listing.objects.get(pk=target.pk)
    values = listing_data.serialize_listing(target)
    assert values == listing_data.serialize_listing(source)
    assert set(values) == set(FIELDS)
    # Nothing is empty in the source: an empty value would hide a field that is serialized but not applied.
    # A market's type only belongs to markets (the next test).
    assert all(values[name] not in ("", None, []) for name in FIELDS if name not in ("email_public", "market_type"))


def test_a_market_keeps_its_type_through_serializing_and_applying(towns):
    source = full_listing(kind=Listing.Kind.MARKET, market_type=Listing.MarketType.FAIR)
    target = ListingFactory(name="Autre", commune=towns["bordeaux"])
    listing_data.apply_values(target, listing_data.serialize_listing(source))
    target = Listing.objects.get(pk=target.pk)
    assert (target.kind, target.market_type) == ("market", "fair")


def test_a_listing_that_is_no_market_has_no_market_type(towns):
    listing = full_listing(kind=Listing.Kind.MARKET, market_type=Listing.MarketType.WEEKLY)
    listing.kind = Listing.Kind.PRODUCER
    listing.save()
    listing.refresh_from_db()
    assert listing.market_type == ""


def test_the_form_serializes_every_field(angers):
    category = CategoryFactory()
    delivery_mode("on-site")
    data = {
        "name": "Ferme",
        "kind": "producer",
        "categories": [category.slug],
        "commune": angers.insee_code,
        "postal_code": angers.postal_code_list[0],
        "phone": "0241000000",
        "delivery_modes": "on-site: Samedi",
    }
    form = ListingForm(data)
    assert form.is_valid(), form.errors
    assert set(listing_data.serialize(form.cleaned_data)) == set(FIELDS)


def test_the_review_page_shows_one_row_per_field():
    listing = full_listing()
    rows = review.listing_rows(listing)
    assert [str(row["label"]) for row in rows] == [str(Listing._meta.get_field(name).verbose_name) for name in FIELDS]


def test_erasing_blanks_every_personal_field(client):
    listing = full_listing()
    before = {name: getattr(listing, name) for name in PERSONAL_FIELDS}
    assert all(before[name] not in ("", None, False) for name in PERSONAL_FIELDS)
    token = EditToken.issue(listing)
    assert client.post(f"/modifier/{token}/effacer/").status_code == 200
    listing.refresh_from_db()
    for name in PERSONAL_FIELDS:
        if name in ("latitude", "longitude"):
            assert getattr(listing, name) == getattr(listing.commune, name)
        else:
            assert getattr(listing, name) in ("", False), name


def test_the_export_columns_are_the_documented_ones_in_order():
    documented = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", (ROOT / "docs/open-data.md").read_text(), re.M)
    names = [name.strip("`") for cell in documented for name in cell.split(", ")]
    assert names == COLUMNS
    assert set(FIELDS) - set(COLUMNS) == {"email_public"}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_producers_never_imports_moderation_or_magazine():
    for path in (ROOT / "producers").rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("moderation", "magazine")), path


def test_moderation_models_and_forms_do_not_import_each_other():
    for path in (ROOT / "moderation/models").glob("*.py"):
        forms = {name for name in _imports(path) if name.startswith(("..forms", "moderation.forms"))}
        assert not forms, path
    assert ".models" not in {name for name in _imports(ROOT / "moderation/revisions.py")}
