"""The same edit page sent again after a volunteer changed the listing (a repair of its hours records no decision)
is told of the change, not answered "saved": the volunteers would read the volunteer's hours, not the producer's."""

import pytest

from .tabs import CHANGED_ELSEWHERE, new_tab

pytestmark = pytest.mark.django_db


def test_the_same_page_sent_again_after_a_volunteers_hours_repair_is_told(client, pending):
    tab = new_tab(client, pending)
    assert "enregistrées" in tab.send(description="Maraîchage.")
    # A volunteer's repair, as producers.hours_repairs.repair() makes it: a save, no decision.
    pending.refresh_from_db()
    pending.opening_hours = repaired = "Mo,We 10:00-12:00"
    pending.save()

    page = tab.send()

    pending.refresh_from_db()
    assert pending.opening_hours == repaired
    assert CHANGED_ELSEWHERE in page
