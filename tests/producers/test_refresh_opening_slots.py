"""The daily `refresh_opening_slots` and a save changing the hours at the same moment (real threads on PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections

from producers import hours
from producers.models import Listing, OpeningSlot
from tests.factories import ListingFactory


@pytest.mark.django_db(transaction=True)
def test_a_save_during_the_refresh_keeps_the_new_hours(monkeypatch):
    """The command has read the old hours and is writing their slots when the producer's new hours are saved. On
    PostgreSQL the save waits on the listing's row lock, then writes its own slots last; on SQLite (one writer at a
    time) the two run one after the other. Either way the slots are the new hours', never the old ones'."""
    listing = ListingFactory(opening_hours="Mo-Fr 09:00-18:00")
    read_by_the_command = Listing.objects.get(pk=listing.pk)
    concurrent = connection.vendor == "postgresql"
    command = None
    computing = threading.Event()
    waited = []
    evaluate = hours.dated_slots

    def slow_evaluation(*args):
        if threading.current_thread() is command and not computing.is_set():
            computing.set()
            if concurrent:
                # Held until PostgreSQL shows the save waiting for the lock the command holds.
                with connection.cursor() as cursor:
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline and not waited:
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE %%producers_listing%%'"
                        )
                        if cursor.fetchone()[0]:
                            waited.append(True)
        return evaluate(*args)

    monkeypatch.setattr(hours, "dated_slots", slow_evaluation)

    def refresh():
        try:
            OpeningSlot.objects.refresh([read_by_the_command])
        finally:
            connections.close_all()

    command = threading.Thread(target=refresh)
    command.start()
    assert computing.wait(10)
    if not concurrent:
        command.join(10)
    listing.opening_hours = "Sa 10:00-12:00"
    listing.save()
    command.join(10)
    assert not command.is_alive()
    if concurrent:
        assert waited, "the save never waited for the command's row lock"
    assert set(listing.opening_slots.values_list("weekday", "opens", "closes")) == {(5, 600, 720)}
