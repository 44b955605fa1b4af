"""Slots filled for each request after the page cache (localdir.slots), as a page holds them."""

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import resolve, set_script_prefix
from django.utils.translation import trans_real

from localdir import cache as cached_data_module
from localdir import slots
from localdir.templatetags import site as site_tags


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


def test_what_no_one_registered_is_written_as_nothing_and_a_section_without_end_cuts_nothing(back):
    # Left as it is, a marker would show the visitor its secret token.
    unknown = page("<p>", back.marker(back.START, "nobody"), back.marker(back.VALUE, "nobody", "x"), "</p>")
    assert back.fill(RequestFactory().get("/"), unknown) == b"<p></p>"
    open_section = page("<p>", back.marker(back.START, "back"), "la suite</p>")
    assert back.fill(RequestFactory().get("/"), open_section) == b"<p>la suite</p>"


def test_a_marker_written_by_a_visitor_is_not_filled_nor_cuts_the_page(back):
    # Text a visitor typed, echoed in the page (a refused form shows it again as it came): markers in the former form
    # and ones in the form of ours without the secret token.
    for start, value, end in [
        ("\x00[back|\x00", "\x00=back|\x00", "\x00]back|\x00"),
        ("\x00x[back|\x00", "\x00x=back|\x00", "\x00x]back|\x00"),
    ]:
        content = page("<p>", start, "la suite", value, end, "</p>")
        assert back.fill(RequestFactory().get("/"), content) == content
        assert back.fill(RequestFactory().get("/", {"back": "/liste/"}), content) == content


def test_a_marker_typed_in_the_town_box_comes_back_as_text(client, db):
    for typed in ["AAA\x00=language|en\x00BBB", f"AAA\x00{slots.TOKEN[:-1]}x=language|en\x00BBB"]:
        response = client.get("/", {"commune": typed})
        assert response.status_code == 200
        body = response.content.decode()
        assert "AAA/en/" not in body and "AAA\x00" not in body  # never filled as a slot, no NUL sent
        assert "AAA\ufffd" in body  # the visitor's value kept, its NULs read as an HTML parser reads them


def test_a_made_up_language_in_a_marker_is_not_kept_by_the_process(db):
    # The language switch's argument may come from outside (a marker in a visitor's text): a translation object
    # kept for each made-up code would fill the memory of the process.
    request = RequestFactory().get("/liste/")
    before = len(trans_real._translations)
    filled = {
        slots.fill(request, page('<a href="', slots.marker(slots.VALUE, "language", f"x{n}"), '">')) for n in range(20)
    }
    assert len(trans_real._translations) == before
    assert filled == {b'<a href="">'}
    content = page('<a href="', slots.marker(slots.VALUE, "language", "en"), '">')
    assert slots.fill(request, content) == b'<a href="/en/">'


def test_a_page_cached_with_markers_of_another_form_is_not_served(client, db, settings, monkeypatch):
    # An upgrade that changes the markers' form (or SECRET_KEY): pages and the language switch cached before hold
    # markers the new code does not fill; no cache to clear by hand.
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    monkeypatch.setattr(cached_data_module, "_local", {})
    for name, value in zip(("TOKEN", "PAGE_KEY", "_MARKER"), slots._keys("a former key"), strict=True):
        monkeypatch.setattr(slots, name, value)
    assert 'hreflang="en"' in client.get("/").content.decode()  # cached with the former markers
    monkeypatch.undo()
    settings.PAGE_CACHE_SECONDS = 60
    body = client.get("/").content.decode()
    assert re.search(r'href="/en/"[^>]*hreflang="en"', body)
    assert "\ufffd" not in body
    cache.clear()


def test_the_language_switch_names_the_page_under_each_script_prefix_and_language_in_turn(client, db):
    # Each page's address in the other language is kept by the process (localdir.templatetags.site._path_in): going
    # back and forth between prefixes and languages, each request gets its own. The test client leaves the script
    # prefix to the test (Django's WSGI handler sets it from SCRIPT_NAME).
    try:
        for script_name, path, expected in [
            ("", "/", 'href="/en/?commune=Angers" hreflang="en"'),
            ("/annuaire", "/", 'href="/annuaire/en/?commune=Angers" hreflang="en"'),
            ("", "/en/", 'href="/?commune=Angers" hreflang="fr"'),
            ("/annuaire", "/en/", 'href="/annuaire/?commune=Angers" hreflang="fr"'),
            ("", "/", 'href="/en/?commune=Angers" hreflang="en"'),
        ]:
            set_script_prefix(script_name + "/")
            response = client.get(path, {"commune": "Angers"}, SCRIPT_NAME=script_name)
            assert expected in response.content.decode()
    finally:
        set_script_prefix("/")


def test_a_pages_address_in_the_other_language_is_found_once_and_the_process_keeps_a_bounded_number(db, monkeypatch):
    reversed_paths = []
    reverse = site_tags.reverse
    monkeypatch.setattr(site_tags, "reverse", lambda *a, **k: reversed_paths.append(a) or reverse(*a, **k))
    monkeypatch.setattr(site_tags, "_paths", {})
    monkeypatch.setattr(site_tags, "PATHS_KEPT", 5)
    request = RequestFactory().get("/", {"commune": "Angers"})
    request.resolver_match = resolve("/")
    assert site_tags.translated_url(request, "en") == "/en/?commune=Angers"
    assert site_tags.translated_url(request, "en") == "/en/?commune=Angers"
    assert len(reversed_paths) == 1  # the second page asked reverse() nothing
    for n in range(20):  # addresses a visitor makes up
        assert site_tags.translated_url(RequestFactory().get(f"/{n}/"), "en") == "/en/"
        assert len(site_tags._paths) <= 5
