import pytest
from django.core.exceptions import ValidationError

from producers.models import Listing
from tests.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db


def test_it_defaults_to_the_communes_point_postal_code_and_department(towns):
    listing = ListingFactory(commune=towns["avrille"])
    assert (listing.latitude, listing.longitude) == (47.5069, -0.5889)
    assert listing.postal_code == "49240"
    assert listing.department.code == "49"


def test_a_dragged_pin_is_kept(towns):
    listing = ListingFactory(latitude=47.48, longitude=-0.56)
    assert (listing.latitude, listing.longitude) == (47.48, -0.56)


def test_slugs_are_unique_and_readable(towns):
    first = ListingFactory(name="Ferme du Chêne")
    second = ListingFactory(name="Ferme du Chêne")
    assert first.slug == "ferme-du-chene-angers"
    assert second.slug == "ferme-du-chene-angers-2"


def test_the_postal_code_must_belong_to_the_commune(towns):
    listing = ListingFactory.build(commune=towns["angers"], postal_code="49300", name="X", slug="x")
    with pytest.raises(ValidationError) as error:
        listing.full_clean(exclude=["categories"])
    assert "postal_code" in error.value.message_dict
    listing.postal_code = "49100"
    listing.full_clean(exclude=["categories", "department"])


def test_french_phone_numbers_are_validated_and_formatted(towns):
    listing = ListingFactory.build(
        commune=towns["angers"], name="X", slug="x", postal_code="49000", phone="02 41 00 00 00"
    )
    listing.full_clean(exclude=["categories", "department"])
    assert listing.phone.as_national == "02 41 00 00 00"
    listing.phone = "12345"
    with pytest.raises(ValidationError) as error:
        listing.full_clean(exclude=["categories", "department"])
    assert "phone" in error.value.message_dict


def test_publishing_stamps_the_date_once(towns):
    listing = ListingFactory(status=Listing.Status.PENDING)
    assert listing.published_at is None
    listing.status = Listing.Status.PUBLISHED
    listing.save()
    stamped = listing.published_at
    assert stamped is not None
    listing.save()
    assert listing.published_at == stamped


def test_search_stems_are_stored_and_follow_the_categories(towns):
    listing = ListingFactory(name="Crêperie Œuf & Blé", short_description="Les galettes", description="Sarrasin")
    assert (listing.search_title, listing.search_body) == ("creper oeuf ble", "galet sarrasin")
    listing.categories.set([CategoryFactory(name="Plats cuisinés")])
    listing.refresh_from_db()
    assert listing.search_title == "creper oeuf ble plat cuisin"


def test_saving_every_field_explicitly_keeps_open_now_in_step(towns, clock):
    """`save(update_fields=None)` is Django's "save everything": the open-now slots follow the new hours too."""
    listing = ListingFactory(commune=towns["angers"], opening_hours="Mo-Su 08:00-09:00")
    assert not Listing.objects.open_at().filter(pk=listing.pk).exists()  # 10:00 in Paris
    listing.opening_hours = "Mo-Su 09:00-18:00"
    listing.save(update_fields=None)
    assert Listing.objects.open_at().filter(pk=listing.pk).exists()
