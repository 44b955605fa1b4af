"""A volunteer decides on the producer's waiting edit while its page is open: the page's photo count and its ticks
on that edit's photos no longer hold. Sent, it comes back with a message and the listing as it now is."""

import importlib
import re

import pytest

from moderation.models import EditToken, Revision
from producers.models import ListingPhoto

from . import test_replace_photo
from .tabs import CHANGED_ELSEWHERE, hidden
from .test_edit_link import edit_url, form_data
from .test_replace_photo import new_photo

# The listing with as many photos as allowed, published (test_replace_photo).
full, full_published = test_replace_photo.full, test_replace_photo.full_published

pytestmark = pytest.mark.django_db

DECIDED = "Un bénévole a traité"


def _with_waiting_edit(client, listing):
    token = EditToken.issue(listing)
    for photo in list(listing.photos.all())[3:]:
        photo.delete()  # 3 live photos
    client.post(edit_url(token), {**form_data(listing), "image_rights": "on", "photo_1": new_photo()})
    waiting = Revision.objects.pending().get()
    return token, waiting, waiting.photos.get()


def _page_fields(page):
    return {name: hidden(page, name) for name in ("seen", "version", "waiting")}


def _ticks(page, name):
    return re.findall(rf'name="{name}" value="(\d+)"', page)


def test_a_tick_on_the_waiting_edits_photo_approved_before_the_send_is_not_lost(client, full_published, moderator):
    token, waiting, ticked = _with_waiting_edit(client, full_published)
    page = client.get(edit_url(token)).content.decode()  # shows the waiting photo with its tick box
    assert _ticks(page, "remove_edit_photos") == [str(ticked.pk)]
    waiting.approve(by=moderator)
    data = {
        **form_data(full_published),
        **_page_fields(page),
        "remove_edit_photos": [ticked.pk],
        "description": "Autre.",
    }
    page = client.post(edit_url(token), data).content.decode()

    assert DECIDED in page
    assert not Revision.objects.pending().exists(), "saved without the tick: the photo removed stays public"
    # The photo, now the listing's, is offered among its photos; what was typed is kept.
    live = ListingPhoto.objects.get(listing=full_published, image=ticked.image.name)
    assert str(live.pk) in _ticks(page, "remove_photos")
    assert _ticks(page, "remove_edit_photos") == []
    assert "Autre." in page

    # Sent again with the photo ticked where it now is: removed with the edit.
    data = {**data, **_page_fields(page), "remove_photos": [live.pk]}
    del data["remove_edit_photos"]
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    assert Revision.objects.pending().get().data["remove_photos"] == [live.pk]


def test_the_page_after_the_message_shows_the_listing_as_the_volunteer_left_it(
    client, full_published, moderator, monkeypatch
):
    """Approved between the form's checks and its storing: the page told so no longer shows the decided edit as
    waiting, and sent again as told it removes the photo ticked among the listing's."""
    edit_view = importlib.import_module("moderation.views.edit")
    token, waiting, ticked = _with_waiting_edit(client, full_published)
    page = client.get(edit_url(token)).content.decode()
    real = edit_view._may_store

    def approved_meanwhile(form, limits):
        ok = real(form, limits)
        Revision.objects.get(pk=waiting.pk).approve(by=moderator)
        return ok

    monkeypatch.setattr(edit_view, "_may_store", approved_meanwhile)
    data = {
        **form_data(full_published),
        **_page_fields(page),
        "remove_edit_photos": [ticked.pk],
        "phone": "02 41 99 99 99",
    }
    page = client.post(edit_url(token), data).content.decode()
    monkeypatch.setattr(edit_view, "_may_store", real)

    assert DECIDED in page
    assert "attendent" not in page and _ticks(page, "remove_edit_photos") == [], "decided edit still shown as waiting"
    assert hidden(page, "waiting") == ""
    assert 'value="02 41 99 99 99"' in page
    live = ListingPhoto.objects.get(listing=full_published, image=ticked.image.name)
    assert str(live.pk) in _ticks(page, "remove_photos")

    data = {**data, **_page_fields(page), "remove_photos": [live.pk]}
    del data["remove_edit_photos"]
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
    assert Revision.objects.pending().get().data["remove_photos"] == [live.pk]


def test_photos_sent_with_the_stale_page_are_kept(client, full_published, moderator):
    token, waiting, _ticked = _with_waiting_edit(client, full_published)
    page = client.get(edit_url(token)).content.decode()
    waiting.approve(by=moderator)
    data = {**form_data(full_published), **_page_fields(page), "image_rights": "on", "photo_1": new_photo()}
    page = client.post(edit_url(token), data).content.decode()
    assert DECIDED in page
    assert 'name="remove_kept"' in page  # the photo chosen is kept, not to be chosen again


def test_a_waiting_edit_refused_after_the_page_was_opened_is_told(client, full_published, moderator):
    token, waiting, _ticked = _with_waiting_edit(client, full_published)
    page = client.get(edit_url(token)).content.decode()
    Revision.objects.filter(pk=waiting.pk).update(status=Revision.Status.REJECTED)
    data = {**form_data(full_published), **_page_fields(page), "description": "Autre."}
    assert DECIDED in client.post(edit_url(token), data).content.decode()


def test_another_tabs_edit_is_told_as_such_not_as_a_volunteers_decision(client, full_published):
    token = EditToken.issue(full_published)
    page = client.get(edit_url(token)).content.decode()
    assert hidden(page, "waiting") == ""  # no edit waiting
    client.post(edit_url(token), {**form_data(full_published), **_page_fields(page), "name": "Ferme du Lac Bleu"})
    page = client.post(edit_url(token), {**form_data(full_published), **_page_fields(page), "description": "Autre."})
    assert CHANGED_ELSEWHERE in page.content.decode()


def test_a_page_from_before_the_field_is_judged_as_before(client, full_published, moderator):
    token, waiting, _ticked = _with_waiting_edit(client, full_published)
    page = client.get(edit_url(token)).content.decode()
    waiting.approve(by=moderator)
    fields = _page_fields(page)
    del fields["waiting"]
    data = {**form_data(full_published), **fields, "description": "Autre."}
    assert "enregistrées" in client.post(edit_url(token), data).content.decode()
