"""A commune's name as a form or a file writes it (and its postal code, if any): the commune it names, or the places
to ask about.

The town box (producers.towns.resolve) guesses what a shopper means as they type: it offers Aix-en-Provence to who
types "Aix". A listing's commune is no guess. A name written in full is the place of that exact name when one alone
bears it, whatever longer names begin with it: "Aix" is Aix (19), "Charleville" Charleville (51), "Boisse" Boisse
(24). A commune's own name counts first; only when no commune bears it as written do names that drop their article
("Cannet": Le Cannet (06)), former communes ("Andard", now part of Loire-Authion) and arrondissements ("Paris 15e")
count, so "Cannet" is asked about (Le Cannet, or Cannet now part of Riscle). A postal code keeps the places having
it, a former commune having its commune's. Anything else is no exact name: the look-alikes the town box finds
("Sanit-Omer": Saint-Omer (62) and (14)) are offered, never taken.
"""

from dataclasses import dataclass

from localdir.text import fold

from ..models import Commune
from . import (
    COMMUNE,
    LABEL,
    LOCALITY,
    MAX_CHOICES,
    NAME_AND_DEPARTMENT,
    NAME_AND_POSTAL_CODE,
    POSTAL_CODE,
    Place,
    _fetch_places,
    _names,
    _parse,
    _place_keys,
    _places,
    _rank,
    canonical,
    index,
    resolve,
    typed,
)


@dataclass(frozen=True)
class Reading:
    """The place a written name leads to; else the places to ask about: `exact` when each bears the name (homonyms),
    not when the name is no place's and they only look like it. Neither when nothing comes close. `begun` when the
    postal code's places only begin with the name ("Saint-Étienne" 76800: Saint-Étienne-du-Rouvray)."""

    place: Place | None = None
    choices: tuple = ()
    exact: bool = False
    begun: bool = False

    @property
    def commune(self):
        return self.place.commune if self.place else None


def read_commune(name, postal_code=""):
    """The Reading of a commune's `name` and `postal_code` as a form or a file gives them."""
    return _reading(*_named(name, postal_code))


def _named(name, postal_code):
    """(text, postal code, the index entries bearing the name as read_commune takes them, best first, whether their
    names only begin with it); None for the entries when nothing can be read ("", a name of punctuation)."""
    text, code = typed(name), typed(postal_code).replace(" ", "")
    if not text:
        return text, code, None, False
    if not code:
        text, code = _postal_code_in(text)
    match = NAME_AND_DEPARTMENT.match(text)
    if match and canonical(fold(text)) == fold(text):  # "Nice 06"; "Paris 15" is an arrondissement
        text = f"{match['name']} ({match['department']})"
    idx = index()
    key, fits = _parse(text, idx)
    if not key:
        return text, code, None, False
    named = [p for p in idx.exact(key) if fits(p)]
    if POSTAL_CODE.match(code):
        named = _having(idx, key, named, code, fits)
    # A commune's own name first: "Boisse" is Boisse (24); La Boisse (01) is named so only without its article.
    as_written = [p for p in named if idx.entries[p][0] == COMMUNE and idx.names[p] == key]
    begun = bool(named) and not any(_names(key, idx.names[p]) for p in named)
    return text, code, _rank(idx, as_written or named, key=key), begun


def _reading(text, code, named, begun, fetched=None):
    if named is None:
        return Reading()
    places = _one_per_commune(_places(index(), named, fetched))
    if len(places) == 1:
        return Reading(places[0], begun=begun)
    if places:
        return Reading(choices=tuple(places[:MAX_CHOICES]), exact=True, begun=begun)
    # No place bears that name: what the town box would offer, to confirm or to choose from.
    resolution = resolve(f"{text} {code}" if code and not LABEL.match(text) else text)
    alike = [resolution.place] if resolution.place else list(resolution.choices)
    return Reading(choices=tuple(_one_per_commune(alike)))


class CommuneReader:
    """read_commune() for the rows of a file: each name and postal code read once, and the places the file names
    fetched together from the database (prefetch(): two queries for the whole file) rather than one query for each
    town. Callable as
    read_commune is."""

    def __init__(self):
        self.readings = {}
        self.communes = {}  # INSEE code -> Commune or None
        self.read = set()  # primary keys of the communes this reader read from the database itself

    def has_read(self, commune):
        """Whether `commune` was read from the database by this reader (prefetch(), by_insee()), not taken from the
        cache, where it may outlive its deletion by a minute: then it exists, without a query more to check it."""
        return commune.pk in self.read

    @staticmethod
    def _key(name, postal_code):
        return typed(name), typed(postal_code).replace(" ", "")

    def by_insee(self, code):
        """The commune of an INSEE code (upper-cased), with its department; None if none has it."""
        if code not in self.communes:
            self.communes[code] = Commune.objects.select_related("department").filter(insee_code=code).first()
            self.read.update([self.communes[code].pk] if self.communes[code] else [])
        return self.communes[code]

    def prefetch(self, pairs, codes=()):
        """Read the (name, postal code) pairs and find the communes of the INSEE codes, fetching the places they
        name at once."""
        codes = set(codes) - set(self.communes)
        if codes:
            found = Commune.objects.select_related("department").in_bulk(codes, field_name="insee_code")
            self.communes.update({code: found.get(code) for code in codes})
            self.read.update(commune.pk for commune in found.values())
        named = {key: _named(*key) for key in {self._key(*pair) for pair in pairs} - set(self.readings)}
        idx = index()
        keys = {key for _text, _code, found, _begun in named.values() if found for key in _place_keys(idx, found)}
        # From the database, not the cache (still two queries for the file): a commune deleted in the admin a moment
        # ago is not taken, and the form can leave out the model's check that the commune exists.
        fetched = _fetch_places(sorted(keys)) if keys else {}
        self.read.update(place.pk if isinstance(place, Commune) else place.commune_id for place in fetched.values())
        for key, (text, code, found, begun) in named.items():
            self.readings[key] = _reading(text, code, found, begun, fetched)

    def __call__(self, name, postal_code=""):
        key = self._key(name, postal_code)
        if key not in self.readings:
            self.readings[key] = read_commune(*key)
        return self.readings[key]


def named_in(commune, name):
    """The place inside `commune` that `name` names: the commune itself, or a former commune or an arrondissement of
    it ("Cannet" in Riscle, "Paris 15e" in Paris); None when the name is another place's. What a label adds counts
    as in read_commune: "Saint-Denis (93)" is not Saint-Denis (974), nor "Paris (13)" Paris."""
    idx = index()
    text = typed(name)
    key, fits = _parse(text, idx)
    if not key:
        return Place(commune)
    inside = [p for p in idx.exact(key) if fits(p) and idx.entries[p][4] == commune.pk]
    if _names(key, commune.search_name) and (
        not LABEL.match(text) or any(idx.entries[p][0] == COMMUNE for p in inside)
    ):
        return Place(commune)
    places = _places(idx, inside)
    return Place(commune, places[0].locality) if places else None


def _postal_code_in(text):
    """(name, postal code) of a name written with its postal code ("Angers 49000", "Angers (49000)",
    "saint-etienne-42000"), else (text, "")."""
    match = NAME_AND_POSTAL_CODE.match(text)
    if match and not (name := match["name"] or match["name2"]).isdigit():
        return name, match["before"] or match["after"]
    label = LABEL.match(text)
    if label and POSTAL_CODE.match(label["qualifier"].strip()):
        return label["name"], label["qualifier"].strip()
    return text, ""


def _having(idx, key, named, code, fits):
    """The places named `key` that have the postal code (a former commune has its commune's: "Cannet" 32400 is Cannet,
    now part of Riscle), else the code's places whose name begins with it ("Charleville" 08000 is Charleville-
    Mézières), else the communes named so as written: the postal code is then the form's to refuse ("Angers" 75011),
    while a name found only by dropping its article is not taken with a code none of its places has."""
    having = set(idx.by_postal_code.get(code, ()))
    communes = {idx.entries[p][4] for p in having}
    found = [
        p
        for p in named
        if p in having or (idx.entries[p][0] == LOCALITY and p not in idx.coded and idx.entries[p][4] in communes)
    ]
    if found:
        return found
    begun = [p for p in idx.with_postal_code(code) if fits(p) and _names(key, idx.names[p], start=True)]
    return begun or [p for p in named if idx.entries[p][0] == COMMUNE and idx.names[p] == key]


def _one_per_commune(places):
    """One place per commune, the first of each: a listing's commune is what a choice sets."""
    one_each = {}
    for place in places:
        one_each.setdefault(place.code, place)
    return list(one_each.values())


def places_offered(name, postal_code=""):
    """The Reading a form asks about for a commune's name (and its postal code, if any): its choices, one per
    commune, are none when the name is one place's (read_commune) and the town box offers nothing else for it.

    A producer can answer at once, and a listing put in the wrong town goes unseen until a volunteer reviews it: so
    the form also asks when bigger towns' names begin with the name ("Aix": Aix (19), or Aix-en-Provence?), as the
    town box offers them, where a file (producers.imports) takes the one place of that exact name; and when the
    postal code's place only begins with the name ("Saint-Étienne" 76800: Saint-Étienne-du-Rouvray?), which a file
    takes."""
    reading = read_commune(name, postal_code)
    if reading.begun and reading.place:
        return Reading(choices=(reading.place,))  # to confirm
    if postal_code.strip() or not (reading.place or reading.exact):
        return reading  # the postal code said which, or the name is no place's: its look-alikes, if any
    named = [reading.place] if reading.place else list(reading.choices)
    offered = _one_per_commune(named + list(resolve(name).choices))
    if len(offered) > 1:
        return Reading(choices=tuple(offered[:MAX_CHOICES]), exact=True)
    return Reading()
