"""localdir.reversing: the URLs a slug ends, reversed once per view and language, are Django's."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from localdir import reversing
from localdir.reversing import reverse_with_slug


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_urls_are_djangos_in_each_language(language):
    with translation.override(language):
        for slug in ["la-ferme", "ferme_2", "la-ferme-du-vieux-verger-lambres-lez-douai"]:
            assert reverse_with_slug("producers:listing", slug) == reverse("producers:listing", kwargs={"slug": slug})
            assert reverse_with_slug("moderation:report", slug) == reverse("moderation:report", args=[slug])
            for code in ["49", "2A", "974"]:
                expected = reverse("producers:department", kwargs={"code": code, "slug": slug})
                assert reverse_with_slug("producers:department", slug, code=code) == expected
        assert reverse_with_slug("producers:listing", "la-ferme").startswith("/en/" if language == "en" else "/act")


def test_a_script_prefix_shows():
    try:
        set_script_prefix("/annuaire/")
        assert reverse_with_slug("producers:listing", "la-ferme") == "/annuaire/activites/la-ferme/"
    finally:
        set_script_prefix("/")
    assert reverse_with_slug("producers:listing", "la-ferme") == "/activites/la-ferme/"


def test_each_language_and_script_prefix_keeps_its_own_urls():
    """The URLs kept are per language and script prefix: going back and forth between them, from an empty cache,
    each request gets its own (whatever order the tests run in)."""
    report_link = engines["django"].from_string("{% load site %}{% slug_url 'moderation:report' 'la-ferme' %}")
    reversing._around.cache_clear()
    try:
        for prefix, language in [("/", "fr"), ("/", "en"), ("/", "fr"), ("/annuaire/", "fr"), ("/annuaire/", "en"),
                                 ("/", "en"), ("/", "fr")]:  # fmt: skip
            set_script_prefix(prefix)
            with translation.override(language):
                listing = reverse("producers:listing", kwargs={"slug": "la-ferme"})
                assert reverse_with_slug("producers:listing", "la-ferme") == listing
                assert report_link.render({}) == reverse("moderation:report", args=["la-ferme"])
                expected = reverse("producers:department", kwargs={"code": "49", "slug": "maine-et-loire"})
                assert reverse_with_slug("producers:department", "maine-et-loire", code="49") == expected
                assert listing.startswith(prefix + ("en/" if language == "en" else ""))
    finally:
        set_script_prefix("/")


def test_a_slug_the_url_refuses_fails_as_in_django():
    for slug in ["", "la ferme", "la/ferme", "café"]:
        with pytest.raises(NoReverseMatch):
            reverse_with_slug("producers:listing", slug)


def test_a_url_without_arguments_is_djangos_in_each_language_and_script_prefix():
    """reverse_fixed(): kept per language and script prefix, going back and forth from an empty cache."""
    reversing._fixed.cache_clear()
    try:
        for prefix, language in [("/", "fr"), ("/", "en"), ("/annuaire/", "en"), ("/annuaire/", "fr"), ("/", "fr")]:
            set_script_prefix(prefix)
            with translation.override(language):
                for viewname in ["producers:home", "producers:france_map", "magazine:index"]:
                    assert reversing.reverse_fixed(viewname) == reverse(viewname)
                assert reversing.reverse_fixed("producers:home") == prefix + ("en/" if language == "en" else "")
    finally:
        set_script_prefix("/")
