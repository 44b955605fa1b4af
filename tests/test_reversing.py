"""localdir.reversing: the URLs a slug ends, reversed once per view and language, are Django's."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

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


def test_a_slug_the_url_refuses_fails_as_in_django():
    for slug in ["", "la ferme", "la/ferme", "café"]:
        with pytest.raises(NoReverseMatch):
            reverse_with_slug("producers:listing", slug)
