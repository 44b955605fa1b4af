"""`manage.py recount_listings`, daily: stored counts left wrong by a change no signal saw are repaired, and the
pages that show them show the right figures again."""

from io import StringIO

import pytest
from django.core.management import call_command

from producers.models import Commune, Department, Listing
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def recount():
    out = StringIO()
    call_command("recount_listings", stdout=out)
    return out.getvalue()


def test_it_repairs_the_counts_an_update_left_wrong(client, towns, django_capture_on_commit_callbacks):
    angers = towns["angers"]
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(commune=angers)
        late = ListingFactory(commune=angers, status=Listing.Status.PENDING)
    Listing.objects.filter(pk=late.pk).update(status=Listing.Status.PUBLISHED)  # a shell, a data fix
    assert "1 activité" in client.get("/").content.decode()  # the home page's count by department, cached

    with django_capture_on_commit_callbacks(execute=True):  # the pages' cache is dropped after the commit
        assert recount() == "2 stored counts corrected.\n"  # Maine-et-Loire and Angers
    assert Department.objects.get(code="49").listing_count == 2
    assert Commune.objects.get(pk=angers.pk).listing_count == 2
    assert "2 activités" in client.get("/carte/").content.decode()
    assert recount() == "0 stored counts corrected.\n"


def test_it_counts_down_too(towns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        listing = ListingFactory(commune=towns["angers"])
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.UNPUBLISHED)
    recount()
    assert Department.objects.get(code="49").listing_count == 0
    assert Commune.objects.get(pk=towns["angers"].pk).listing_count == 0
