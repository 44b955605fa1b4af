"""reverse() for the URLs a slug ends (a listing's page, a department's), cheaper.

Django's reverse() resolves the namespace, tries the pattern's possibilities, checks the candidate URL against the
pattern's regular expression and quotes it on every call: ~40 µs, and a listing's page asked for four such URLs.
The URL of a view whose other arguments are the same differs only by its slug, and a slug is written into the URL
as it is (letters, digits, '-' and '_', nothing to quote): the URL is reversed once with a stand-in slug, per
view, other arguments, language, script prefix and URLconf, and the slug put in its place. A slug a <slug:…>
converter would refuse goes through reverse() itself, and fails as it would.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_STAND_IN = "slug-stand-in-3f9c"


@lru_cache(maxsize=1024)
def _around(viewname, others, language, prefix, urlconf):
    """The URL's text before and after the slug; None if the stand-in is not found once (never seen)."""
    parts = reverse(viewname, kwargs={**dict(others), "slug": _STAND_IN}).split(_STAND_IN)
    return tuple(parts) if len(parts) == 2 else None


def reverse_with_slug(viewname, slug, **others):
    """reverse(viewname, kwargs={"slug": slug, **others}) for a URL pattern whose `slug` is a <slug:slug>."""
    if _SLUG.fullmatch(slug):
        key = tuple(sorted(others.items()))
        around = _around(viewname, key, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if around is not None:
            return f"{around[0]}{slug}{around[1]}"
    return reverse(viewname, kwargs={**others, "slug": slug})


@lru_cache(maxsize=256)
def _fixed(viewname, language, prefix, urlconf):
    return reverse(viewname)


def reverse_fixed(viewname):
    """reverse(viewname) for a URL pattern without arguments (a home page), reversed once per view, language, script
    prefix and URLconf."""
    return _fixed(viewname, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
