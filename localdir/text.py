"""Text normalisation shared by search, slugs and place look-ups.

Search must ignore accents, case and punctuation identically on SQLite and PostgreSQL, so we
store a normalised copy of the searched text and normalise the query the same way, instead of
relying on database collations or extensions that only one backend has.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Common abbreviations in French place names: "St-Barthélemy" is "Saint-Barthélemy".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fold(text):
    """Lower-case ASCII words separated by single spaces: "St-Barthélemy-d'Anjou" -> "saint barthelemy d anjou"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    words = _NON_ALNUM.sub(" ", ascii_text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def validate_single_line(value):
    """Names and one-line texts: no line break or other control character (they end up in email subjects)."""
    if value and _CONTROL.search(value):
        raise ValidationError(_("Write this on a single line."), code="single_line")
