"""The translation catalogues: no entry is left fuzzy. A fuzzy entry is not compiled, so the page shows the source
string, and it reads like a translation to the next person: "Hidden until confirmed" stood beside "Hours to be
confirmed", guessed by gettext from an old French string."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[1] / "locale"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_entry_is_fuzzy(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    entries = text.split("\n\n")[1:]  # the first is the header, fuzzy in a catalogue nobody has filled in yet
    fuzzy = [entry for entry in entries if re.search(r"^#,.*\bfuzzy\b", entry, re.MULTILINE)]
    assert fuzzy == []
