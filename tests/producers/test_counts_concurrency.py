"""Publications at the same moment all end up in the stored counts (producers.counts): each thread on its own
connection, really at once on PostgreSQL (one after the other on SQLite, which allows one writer at a time)."""

import pytest
from django.db import transaction

from producers.models import Commune, Department, Listing
from tests.factories import CommuneFactory, ListingFactory
from tests.moderation.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)  # commits for real: counts are recounted after them


def test_publications_at_once_are_all_counted():
    angers = CommuneFactory()
    pending = [ListingFactory(status=Listing.Status.PENDING, commune=angers) for _ in range(8)]

    def publish(listing):
        def call():
            with transaction.atomic():
                listing.status = Listing.Status.PUBLISHED
                listing.save()
            return "published"

        return call

    assert at_once(*(publish(listing) for listing in pending)) == ["published"] * 8
    assert Department.objects.get(code="49").listing_count == 8
    assert Commune.objects.get(pk=angers.pk).listing_count == 8

    def withdraw(listing):
        def call():
            with transaction.atomic():
                listing.status = Listing.Status.UNPUBLISHED
                listing.save()
            return "withdrawn"

        return call

    assert at_once(*(withdraw(listing) for listing in pending[:5])) == ["withdrawn"] * 5
    assert Department.objects.get(code="49").listing_count == 3
    assert Commune.objects.get(pk=angers.pk).listing_count == 3
