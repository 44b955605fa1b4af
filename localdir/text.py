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


# Leading articles of folded place names ("Les Ponts-de-Cé" -> "les ponts de ce", "L'Isle-Adam" -> "l isle adam"):
# people often leave them out ("ponts de ce", "isle adam", "mans").
ARTICLES = ("le ", "la ", "les ", "l ", "aux ", "las ", "los ")


def without_article(folded):
    """A folded place name without its leading article: "les ponts de ce" -> "ponts de ce"; "le" stays "le"."""
    for article in ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            return folded[len(article) :]
    return folded


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def validate_single_line(value):
    """Names and one-line texts: no line break or other control character (they end up in email subjects)."""
    if value and _CONTROL.search(value):
        raise ValidationError(_("Write this on a single line."), code="single_line")


# Every C0/C1 control character and DEL; line breaks and tabs are kept only where the field has several lines.
_CONTROLS_EXCEPT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?|[\n\u2028\u2029\x85]")
# Characters that change the order text is shown in, or that cannot be seen: in a name they let one listing pass
# for another ("Ferme\u202eenoB" shows as "FermeBone") and make two identical-looking names different.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_text(value, multiline=False):
    """A typed or imported text without control characters. Multi-line texts keep their line breaks (as "\\n")
    and tabs; elsewhere both become spaces."""
    if not value:
        return value
    value = _NEWLINES.sub("\n", str(value))
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return _CONTROLS_EXCEPT_LAYOUT.sub("", value)


def validate_visible(value):
    """Names: no direction override and no zero-width character."""
    if value and INVISIBLE.search(value):
        raise ValidationError(
            _("Remove the invisible characters (direction marks or zero-width spaces) from this name."),
            code="invisible",
        )
