"""A volunteer's admin save at the same moment as another transaction (producers.forms.seen): the row lock that orders
two saves of one listing lets others add rows referencing the listing. Each thread on its own connection, really at
once on PostgreSQL (one after the other on SQLite, which allows one writer at a time and takes no row lock)."""

import threading

import pytest
from django.db import connection, transaction

from producers.forms.seen import SeenVersionModelForm
from producers.models import Attendance, Listing
from tests.factories import CategoryFactory, ListingFactory
from tests.moderation.concurrency import at_once
from tests.moderation.test_decisions import listing_admin_data
from tests.producers.test_admin_edited_meanwhile import open_page, url, volunteer_client

pytestmark = pytest.mark.django_db(transaction=True)  # each thread commits for real


def test_a_stand_added_while_the_producer_s_page_is_saved(client, angers, monkeypatch):
    """Camille saves the producer's page; meanwhile the producer's stand at a market is added (the market's page,
    an approved suggestion). With the producer's row locked FOR UPDATE the stand waited for Camille's save, and two
    such saves adding each other's rows deadlocked; it no longer waits."""
    legumes = CategoryFactory(slug="legumes", name="Légumes")
    market = ListingFactory(
        commune=angers, name="Marché", kind=Listing.Kind.MARKET, market_type="weekly", opening_hours="Sa 08:00-12:00"
    )
    producer = ListingFactory(commune=angers, name="Ferme")
    for listing in (market, producer):
        listing.categories.add(legumes)
    camille = volunteer_client(type(client), "camille")
    page = listing_admin_data(producer, description="Depuis 1990.", seen=open_page(camille, producer))

    at_the_same_time = connection.vendor == "postgresql"
    locked, added = threading.Event(), threading.Event()
    clean = SeenVersionModelForm.clean

    def clean_then_wait(form):
        cleaned = clean(form)  # the producer's row is locked from here to the save's commit
        if at_the_same_time:
            locked.set()
            added.wait(10)
        return cleaned

    def add_stand():
        try:
            if at_the_same_time:
                assert locked.wait(10)
            with transaction.atomic():
                if at_the_same_time:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '3s'")  # waiting is the failure
                Attendance.objects.create(market=market, producer=producer)
            return "added"
        finally:
            added.set()

    monkeypatch.setattr(SeenVersionModelForm, "clean", clean_then_wait)
    assert at_once(lambda: camille.post(url(producer), page).status_code, add_stand) == [302, "added"]
    producer.refresh_from_db()
    assert producer.description == "Depuis 1990."
    assert Attendance.objects.filter(market=market, producer=producer).exists()
