"""Slots filled for each request after the page cache (localdir.slots), as a page holds them."""

import pytest
from django.test import RequestFactory

from localdir import slots


@pytest.fixture
def back(monkeypatch):
    monkeypatch.setattr(slots, "_fillers", {})
    slots.register("back", lambda request, arg: request.GET.get("back"))
    return slots


def page(*parts):
    return "".join(parts).encode()


def test_a_slot_takes_each_requests_value_escaped_and_its_section_goes_without_one(back):
    content = page(
        "<main>",
        back.marker(back.START, "back"),
        '<a href="',
        back.marker(back.VALUE, "back"),
        '">Retour</a>',
        back.marker(back.END, "back"),
        "</main>",
    )
    request = RequestFactory().get("/", {"back": "/liste/?a=1&b=2"})
    assert back.fill(request, content) == b'<main><a href="/liste/?a=1&amp;b=2">Retour</a></main>'
    assert back.fill(RequestFactory().get("/"), content) == b"<main></main>"


def test_what_no_one_registered_is_left_as_it_is_and_a_section_without_end_cuts_nothing(back):
    unknown = page("<p>", back.marker(back.VALUE, "nobody", "x"), "</p>")
    assert back.fill(RequestFactory().get("/"), unknown) == unknown
    open_section = page("<p>", back.marker(back.START, "back"), "la suite</p>")
    assert back.fill(RequestFactory().get("/"), open_section) == b"<p>la suite</p>"
