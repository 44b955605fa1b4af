"""What a shopper types in the town box, and the place it leads to.

A 5-digit value is a postal code first; only when it is no known postal code is it read as an INSEE code, as the
hidden field carries it and as older search links (`?commune=49007`, `?commune=2A004`) still do. A name may be a
commune, a former commune (Andard, now Loire-Authion) or an arrondissement ("Paris 11e"), possibly misspelt. When
more than one place fits, the caller offers a choice instead of picking one silently.

Names are matched in memory (producers.towns.names), so that exact, prefix and fuzzy look-ups give the same answers on
SQLite and PostgreSQL.
"""

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from localdir.cache import cached_values
from localdir.text import fold, without_article

from ..models import Commune, Locality
from .names import COMMUNE, FUZZY_CUTOFF, LOCALITY, canonical, forget_index, index, saint_spellings, typos

__all__ = [
    "CommuneReader",
    "Place",
    "Resolution",
    "commune_by_insee",
    "forget_index",
    "from_code",
    "index",
    "named_in",
    "places_offered",
    "read_commune",
    "Reading",
    "resolve",
    "suggest",
    "typed",
]

# Patterns read ASCII digits only: Python's \d also takes "４９０００" and other scripts' digits.
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
# "49 000", as postal codes are often written: read as 49000.
SPACED_POSTAL_CODE = re.compile(r"(?<![0-9])([0-9]{2}) ([0-9]{3})(?![0-9])")
PARTIAL_SPACED_POSTAL_CODE = re.compile(r"^[0-9]{2} [0-9]{1,2}$")
INSEE_CODE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$")
# "Angers (49)", "Andard (Loire-Authion)": the autocomplete's labels, which shoppers may also type.
LABEL = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<qualifier>[^()]+)\)\s*$", re.ASCII)
DEPARTMENT_CODE = re.compile(r"^([0-9][0-9AB][0-9]?)$", re.IGNORECASE)
# "Angers 49000", "49000 Angers", "Angers, 49100": a name with its postal code, as written on an envelope, or joined
# by a hyphen as in a web address ("saint-etienne-42000"). The name begins or ends with what cannot be a separator,
# so a run of separators is tried once, not from every position (the former `.*\D.*?[\s,]+` backtracked in cubic time
# on a run of spaces).
NAME_AND_POSTAL_CODE = re.compile(
    r"^(?:(?P<before>[0-9]{5})[\s,-]+(?P<name>[^\s,-].*)|(?P<name2>.*[^\s,-])[\s,-]+(?P<after>[0-9]{5}))$", re.ASCII
)
# "Nice 06", "Bourg 01": a name and its department's code, as the autocomplete's label "Nice (06)" says it.
NAME_AND_DEPARTMENT = re.compile(r"^(?P<name>[^()]*[^\s,()0-9])[\s,]+(?P<department>[0-9][0-9AB][0-9]?)$", re.ASCII)
# No place's name with its postal code is longer; what is typed beyond is cut, so that no look-up works on a page's
# whole query string.
MAX_TYPED = 100
# Fuzzy matching: among names similar enough (names.FUZZY_CUTOFF), a bigger town or one of the current department
# wins a near tie, and candidates closer than MARGIN are offered as a choice.
POPULATION_WEIGHT = 2  # points per factor of ten inhabitants
LOCAL_BONUS = 5
MARGIN = 2.5
MAX_CHOICES = 10


@dataclass(frozen=True)
class Place:
    """A commune, or a locality inside one, as a shopper picks it."""

    commune: Commune
    locality: Locality | None = None

    @property
    def name(self):
        return self.locality.name if self.locality else self.commune.name

    @property
    def department(self):
        return self.commune.department

    @property
    def label(self):
        """What the town box shows, and reads back: "Angers (49)", "Andard (Loire-Authion)"."""
        if self.locality and self.locality.kind != Locality.Kind.ARRONDISSEMENT:
            return f"{self.locality.name} ({self.commune.name})"
        return f"{self.name} ({self.department.code})"

    @property
    def code(self):
        """The hidden field's value: the commune's INSEE code (the label tells a locality from its commune)."""
        return self.commune.insee_code

    @property
    def latitude(self):
        return (self.locality or self.commune).latitude

    @property
    def longitude(self):
        return (self.locality or self.commune).longitude

    @property
    def population(self):
        return (self.locality or self.commune).population

    @property
    def postal_code_list(self):
        own = self.locality.postal_code_list if self.locality else []
        return own or self.commune.postal_code_list

    @property
    def is_arrondissement(self):
        return bool(self.locality) and self.locality.kind == Locality.Kind.ARRONDISSEMENT

    def __eq__(self, other):
        return isinstance(other, Place) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def _key(self):
        return (self.commune.pk, self.locality.pk if self.locality else None)


@dataclass
class Resolution:
    """The place meant, or the places to choose from when several fit; neither when nothing does."""

    place: Place | None = None
    choices: tuple = ()


# The places found are kept with the public pages' cached data (localdir.cache), as the communes of the listings'
# cards are: every search looked its town up again (a query compiled and run: ~7 % of a filtered page on a cache
# miss). Places change only with load_places, which drops the cached data, or in the admin (shown within
# DATA_SECONDS, as the cards' commune names are).
PLACE_KEY = "town.{kind}.{pk}"
INSEE_KEY = "town.insee.{code}"


def _fetch_places(keys):
    """{cache key: Commune or Locality, with its commune and department} for PLACE_KEY keys, in two queries at most."""
    wanted = [tuple(map(int, key.split(".")[1:])) for key in keys]
    locality_ids = [pk for kind, pk in wanted if kind == LOCALITY]
    localities = Locality.objects.select_related("commune__department").in_bulk(locality_ids)
    commune_ids = [pk for kind, pk in wanted if kind == COMMUNE]
    communes = Commune.objects.select_related("department").in_bulk(commune_ids)
    found = {}
    for (kind, pk), key in zip(wanted, keys, strict=True):
        place = (localities if kind == LOCALITY else communes).get(pk)
        if place is not None:
            found[key] = place
    return found


def _place_keys(idx, positions):
    return [PLACE_KEY.format(kind=kind, pk=pk) for kind, pk, *_ in (idx.entries[p] for p in positions)]


def _places(idx, positions, fetched=None):
    """Place objects for index entries, in the same order, from `fetched` ({key: Commune or Locality}, as
    _fetch_places gives them), else from the cache or two queries at most."""
    keys = _place_keys(idx, positions)
    found = fetched if fetched is not None else cached_values(keys, _fetch_places)
    places = []
    for key in keys:
        if isinstance(found.get(key), Locality):
            places.append(Place(found[key].commune, found[key]))
        elif key in found:
            places.append(Place(found[key]))
    return places


def commune_by_insee(code):
    """The commune of an INSEE code (upper-cased), with its department; None if none has it. Cached: no query for a
    commune asked for again."""
    key = INSEE_KEY.format(code=code)

    def fetch(keys):
        commune = Commune.objects.select_related("department").filter(insee_code=code).first()
        return {key: commune} if commune else {}

    return cached_values([key], fetch).get(key)


def _rank(idx, positions, department=None, exact=(), key=None):
    """The current department's first, then exact names (the name as typed before the name without its article:
    "cannet" is Cannet, a former commune of the Gers, then Le Cannet (06)), then the most populated."""
    department_id = department.pk if department else None
    exact = set(exact)

    def order(position):
        _, _, place_department, population, _ = idx.entries[position]
        as_typed = idx.names[position] == key
        return (place_department != department_id, position not in exact, not as_typed, -population, position)

    return sorted(positions, key=order)


def _parse(text, idx):
    """The folded name typed, and a test of index entries for what the label adds: "Angers (49)" names a
    department, "Andard (Loire-Authion)" a commune."""
    match = LABEL.match(text)
    if not match:
        return canonical(fold(text)), lambda position: True
    qualifier = match["qualifier"].strip()
    if DEPARTMENT_CODE.match(qualifier):
        department_id = idx.department_ids.get(qualifier.upper(), -1)
        return canonical(fold(match["name"])), lambda position: idx.entries[position][2] == department_id
    parents = {idx.entries[p][1] for p in idx.exact(fold(qualifier)) if idx.entries[p][0] == COMMUNE}
    return canonical(fold(match["name"])), lambda position: idx.entries[position][4] in parents


def from_code(text, code):
    """The place the hidden field names, if the visible text still names it (a name typed since then wins)."""
    code = (code or "").strip().upper()
    if not INSEE_CODE.fullmatch(code):  # also keeps a NUL byte away from PostgreSQL (a DataError, a 500)
        return None
    commune = commune_by_insee(code)
    if commune is None:
        return None
    match = LABEL.match(text)
    name = canonical(fold(match["name"] if match else text))
    if not name or _names(name, commune.search_name):
        return Place(commune)
    for locality in commune.localities.all():
        if _names(name, canonical(locality.search_name)):
            return Place(commune, locality)
    return None


def resolve(text, code=None, department=None):
    """The place meant by what was typed (and the hidden code, if any); `department` is the page's."""
    text = typed(text)
    if code:
        place = from_code(text, code)
        if place is not None:
            return Resolution(place)
    if not text:
        return Resolution()
    idx = index()
    if POSTAL_CODE.match(text) and text in idx.by_postal_code:
        return _resolution(_places(idx, _rank(idx, idx.with_postal_code(text), department)))
    if INSEE_CODE.match(text.upper()):
        # Links shared before postal codes were read (`?commune=49007&distance=10`) must still find the town.
        commune = commune_by_insee(text.upper())
        return Resolution(Place(commune)) if commune else Resolution()
    match = NAME_AND_POSTAL_CODE.match(text)
    if match and not (name := match["name"] or match["name2"]).isdigit():
        return _with_postal_code(idx, name, match["before"] or match["after"], department)
    label = LABEL.match(text)
    if label and POSTAL_CODE.match(label["qualifier"].strip()):  # "Angers (49000)"
        return _with_postal_code(idx, label["name"], label["qualifier"].strip(), department)
    match = NAME_AND_DEPARTMENT.match(text)
    if match and canonical(fold(text)) == fold(text):  # "Nice 06"; "Paris 15" is an arrondissement
        text = f"{match['name']} ({match['department']})"
    return _resolve_name(idx, text, department)


def typed(text):
    """What was typed, bounded before any pattern reads it: white space collapsed (no run of spaces for a pattern to
    try from every position), cut at MAX_TYPED characters, and "49 000" read as 49000."""
    text = " ".join((text or "").split())[:MAX_TYPED]
    return SPACED_POSTAL_CODE.sub(r"\1\2", text)


def _resolve_name(idx, text, department):
    """The place a name leads to (no postal code read in it)."""
    key, fits = _parse(text, idx)
    if not key:
        return Resolution()

    exact = [p for p in idx.exact(key) if fits(p)]
    if not exact and not any(fits(p) for p in idx.prefixed(key)):
        # "Sanit-Omer", "Sain Omer": a misspelt Saint is read as the name spelt right, homonyms and all, rather than
        # left to the fuzzy match, which took the biggest Saint-Omer silently. Only when no name begins with what was
        # typed either, as the suggestions do: "Saints" begins Saints-Geosmes, and is no misspelt "Saint".
        key, exact = _saint_spelt_right(idx, key, fits)
    if exact:
        local = [p for p in exact if department and idx.entries[p][2] == department.pk]
        if len(local) == 1:
            return Resolution(_places(idx, local)[0])
        if department is not None and not local:
            # "Saint-Martin" on the Maine-et-Loire page: its Saint-Martin-du-Fouilloux… are likelier meant than the
            # homonyms hundreds of kilometres away, as the autocomplete ranks them; both are offered.
            nearby = [p for p in idx.prefixed(key + " ") if fits(p) and idx.entries[p][2] == department.pk]
            # "Angres" there is likelier Angers misspelt than the Pas-de-Calais village: a bigger town of the
            # department whose name is that close is offered too (Rennes stays Rennes, Gennes being smaller).
            biggest = max(idx.entries[p][3] for p in exact)
            nearby += [
                p
                for p, _score in _scored(idx, key, fits, department)
                if idx.entries[p][2] == department.pk and idx.entries[p][3] > biggest and p not in nearby
            ]
            # The exact homonyms are never cut for them (the shopper may mean Sainte-Marie (65) on the 76 page).
            exact = _rank(idx, nearby, department)[: max(MAX_CHOICES - len(exact), 0)] + exact
        ranked = _rank(idx, exact, department, key=key)
        if department is None:
            # The longer names that begin with the name typed, as the suggestions list them: all of them when a
            # choice is asked anyway ("Cannet" is also Le Cannet-des-Maures), else those bigger than the place named
            # ("Aix" is a village of Corrèze, but likelier Aix-en-Provence; "Le Cannet" stays Le Cannet).
            biggest = max(idx.entries[p][3] for p in ranked)
            longer = [
                p
                for p in idx.prefixed(key + " ")
                if fits(p) and p not in ranked and (len(ranked) > 1 or idx.entries[p][3] > biggest)
            ]
            ranked += _rank(idx, longer)[: max(MAX_CHOICES - len(ranked), 0)]
        return _resolution(_places(idx, ranked))
    prefixed = _rank(idx, [p for p in idx.prefixed(key) if fits(p)], department)[:MAX_CHOICES]
    if prefixed:
        # "Mareille" starts only Mareilles (52) but is one letter from Marseille: likelier misspelt towns are offered
        # beside the names it starts rather than the start of a village's name taken silently.
        best = max(_score(idx, key, p, department) for p in prefixed)
        likelier = [p for p, score in _scored(idx, key, fits, department) if score > best and p not in prefixed]
        return _resolution(_places(idx, _rank(idx, likelier + prefixed, department)[:MAX_CHOICES]))
    return _resolution(_places(idx, _closest(idx, key, fits, department)))


def _saint_spelt_right(idx, key, fits):
    """(key, exact entries) of the first reading of `key` with its misspelt Saint spelt right that names a place;
    (key, []) if none does."""
    for spelling in saint_spellings(key):
        exact = [p for p in idx.exact(spelling) if fits(p)]
        if exact:
            return spelling, exact
    return key, []


def _with_postal_code(idx, name, code, department):
    """A name and a postal code typed together: the places of that code bearing the name (or starting with it: "Paris
    75011" is the 11th arrondissement, or like it); the name alone when none does, and the code alone when the name
    leads nowhere."""
    key = canonical(fold(name))
    found = idx.with_postal_code(code)
    named = [p for p in found if _names(key, idx.names[p]) or _names(key, idx.names[p], start=True)]
    # A former commune has its commune's postal codes: "Cannet 32400" is Cannet, now part of Riscle.
    communes = {idx.entries[p][4] for p in found}
    former = [p for p in idx.exact(key) if idx.entries[p][0] == LOCALITY and p not in idx.coded]
    named += [p for p in former if idx.entries[p][4] in communes and p not in named]
    if named:
        return _resolution(_places(idx, _rank(idx, named, department)))
    # A misspelt name ("Angres 49000") is read among that code's places first. But a name that is itself a commune
    # of the code's department ("Bény 01290", Bény being 01370 and 01290 Bey's) may be right and the code wrong:
    # both are offered, the name as typed first, rather than its look-alike taken silently.
    alike = [p for p in found if fuzz.ratio(key, idx.names[p]) >= FUZZY_CUTOFF]
    if alike:
        departments = {idx.entries[p][2] for p in found}
        as_typed = [p for p in idx.exact(key) if idx.entries[p][2] in departments]
        offered = list(dict.fromkeys(as_typed + alike))  # "ponts de ce 49130" is both
        return _resolution(_places(idx, _rank(idx, offered, department, exact=as_typed)))
    by_name = _resolve_name(idx, name, department)
    if by_name.place or by_name.choices or not found:
        return by_name
    return _resolution(_places(idx, _rank(idx, found, department)))


def _names(typed, name, start=False):
    """Whether the folded `typed` is the folded place `name`, with or without its article (or begins it)."""
    if start:
        return name.startswith(typed + " ") or without_article(name).startswith(typed + " ")
    return typed in (name, without_article(name))


def _bonus(idx, position, department):
    _, _, place_department, population, _ = idx.entries[position]
    local = department is not None and place_department == department.pk
    return POPULATION_WEIGHT * math.log10(population + 1) + (LOCAL_BONUS if local else 0)


def _score(idx, key, position, department):
    """How well an entry fits what was typed: its name's similarity, plus its size and the page's department."""
    return fuzz.ratio(key, idx.names[position]) + _bonus(idx, position, department)


def _scored(idx, key, fits, department):
    """[(entry index, score)] of the names like `key`, best first."""
    scored = [
        (position, score + _bonus(idx, position, department)) for score, position in idx.similar(key) if fits(position)
    ]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _closest(idx, key, fits, department):
    """Index entries for a misspelt name: the best one, or the few that come close to it."""
    scored = _scored(idx, key, fits, department)
    if not scored:
        return []
    best_position, best = scored[0]
    # Rapidfuzz's ratio rates the small words as much as the others: "La Roche Yon" is closer by it to La Roche-Guyon
    # (a typo in "guyon") than to La Roche-sur-Yon (no typo, "sur" left out). A name with fewer typos is offered too.
    fewest = typos(key, idx.names[best_position])
    chosen = [
        position for position, score in scored if best - score < MARGIN or typos(key, idx.names[position]) < fewest
    ]
    # A look-alike's homonyms are as alike: "Valance" is asked about as "Valence" is, not the biggest taken silently.
    homonyms = [p for position in chosen for p in idx.exact(idx.names[position]) if fits(p)]
    return list(dict.fromkeys(chosen + homonyms))[:MAX_CHOICES]


def _resolution(places):
    if len(places) == 1:
        return Resolution(places[0])
    return Resolution(choices=tuple(places[:MAX_CHOICES]))


def suggest(text, department=None, limit=10):
    """Places for the autocomplete: by postal code prefix, else by name (exact, then prefix, else fuzzy), the current
    department's first, then exact names, then the most populated."""
    text = typed(text)
    if not text:
        return []
    idx = index()
    if PARTIAL_SPACED_POSTAL_CODE.match(text):  # "49 1", being typed as "49 100"
        text = text.replace(" ", "")
    if text.isdigit() and text.isascii():
        return _places(idx, _rank(idx, idx.with_postal_code_prefix(text), department)[:limit])
    key, fits = _parse(text, idx)
    if not key:
        return []

    exact = [p for p in idx.exact(key) if fits(p)]
    found = list(dict.fromkeys(exact + [p for p in idx.prefixed(key) if fits(p)]))
    for spelling in [] if found else saint_spellings(key):  # "sanit om", being typed
        exact = [p for p in idx.exact(spelling) if fits(p)]
        found = list(dict.fromkeys(exact + [p for p in idx.prefixed(spelling) if fits(p)]))
        if found:
            key = spelling
            break
    if found:
        return _places(idx, _rank(idx, found, department, exact, key)[:limit])
    return _places(idx, _closest(idx, key, fits, department)[:limit])


# Written names (forms and files) build on the look-ups above.
from .reading import CommuneReader, Reading, named_in, places_offered, read_commune  # noqa: E402
