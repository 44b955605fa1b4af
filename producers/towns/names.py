"""The in-memory index of place names the town box reads (producers.towns): every commune's and locality's folded
name, held per process and built lazily from the database (about 40,000 short strings), so that exact, prefix and
fuzzy (rapidfuzz) look-ups give the same answers on SQLite and PostgreSQL."""

import bisect
import itertools
import re
import threading
import time

from django.db.models import Count, Max
from django.db.models.signals import post_save
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from localdir.text import without_article

from ..models import Commune, Department, Locality

# "Paris 15", "Paris 15e", "Paris 15eme arr", and in Roman numerals as street signs and letters still write them: "Paris
# XVe", "Lyon IIIe", "Paris Ier" (folded: "paris xve", "lyon iiie", "paris ier").
ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille) ([0-9]{1,2}|[ivx]{1,5}) ?(?:e|er|eme|ieme|em)?(?: arr\w*)?$", re.ASCII
)
ROMAN = {"i": 1, "v": 5, "x": 10}
# Fuzzy matching: a name must be this similar (rapidfuzz's ratio, 0-100) to be considered.
FUZZY_CUTOFF = 80
FUZZY_LIMIT = 20
# Words that many place names share ("Saint-…", "…-sur-Mer", "Les …", "…-de-…"). Being alike by them says nothing:
# "Chollet-sur-Mer" is as close to Théoule-sur-Mer as "Angrs" to Angers by the ratio, yet differs in 4 letters of 7.
GENERIC_WORDS = frozenset("le la les l aux au d de du des en et sur sous lez saint sainte saints saintes mer".split())
# A look-alike differs from what was typed by at most one typo (a letter missing, added, changed, or two swapped) per
# this many letters of its distinctive words: "Saint-Malot" is Saint-Malo, "Nantts" Nantes.
LETTERS_PER_TYPO = 3
# A typed word one typo away from these is read as a misspelt Saint ("Sain-Lô", "Sant Lo"), a generic word too.
SAINTS = ("saint", "sainte")
# At most this many readings of a name with its misspelt Saints spelt right are tried (saint_spellings).
MAX_SAINT_READINGS = 4
# How often a process checks whether the places changed under it (load_places run elsewhere); saves in this process
# drop the index at once.
CHECK_SECONDS = 60


COMMUNE, LOCALITY = 0, 1


class _Index:
    """Folded names of every commune and locality -> the places that bear them, with what ranking needs."""

    def __init__(self):
        self.entries = []  # (kind, pk, department_id, population, commune_id)
        self.names = []  # each entry's folded name
        self.by_key = {}  # folded name (and the name without its article) -> [entry index]
        self.by_postal_code = {}  # postal code -> [entry index] of communes and arrondissements
        self.coded = set()  # entries having postal codes of their own (not former communes: their commune's are theirs)
        self.department_ids = dict(Department.objects.values_list("code", "id"))
        communes = Commune.objects.order_by("insee_code")
        for pk, name, department_id, population, codes in communes.values_list(
            "pk", "search_name", "department_id", "population", "postal_codes"
        ):
            self._add(name, (COMMUNE, pk, department_id, population, pk), codes)
        localities = Locality.objects.order_by("kind", "insee_code")
        for pk, name, department_id, population, commune_id, codes in localities.values_list(
            "pk", "search_name", "commune__department_id", "population", "commune_id", "postal_codes"
        ):
            self._add(canonical(name), (LOCALITY, pk, department_id, population, commune_id), codes)
        self.keys = sorted(self.by_key)
        self.postal_codes = sorted(self.by_postal_code)

    def _add(self, key, entry, postal_codes):
        self.entries.append(entry)
        self.names.append(key)
        position = len(self.entries) - 1
        for code in postal_codes.split():
            self.by_postal_code.setdefault(code, []).append(position)
            self.coded.add(position)
        self.by_key.setdefault(key, []).append(position)
        bare = without_article(key)
        if bare != key:
            self.by_key.setdefault(bare, []).append(position)

    def exact(self, key):
        return list(self.by_key.get(key, ()))

    def prefixed(self, key):
        found = []
        for name in self.keys[bisect.bisect_left(self.keys, key) :]:
            if not name.startswith(key):
                break
            found.extend(self.by_key[name])
        return list(dict.fromkeys(found))

    def with_postal_code(self, code):
        """Entries having this postal code; an arrondissement having it stands for its whole city."""
        found = self.by_postal_code.get(code, [])
        cities = {self.entries[p][4] for p in found if self.entries[p][0] == LOCALITY}
        return [p for p in found if self.entries[p][0] == LOCALITY or self.entries[p][1] not in cities]

    def with_postal_code_prefix(self, prefix):
        found = []
        for code in self.postal_codes[bisect.bisect_left(self.postal_codes, prefix) :]:
            if not code.startswith(prefix):
                break
            found.extend(self.with_postal_code(code))
        return list(dict.fromkeys(found))

    def similar(self, key):
        """[(score, entry index)] of names like `key`, by rapidfuzz's ratio, best first; each entry once (it may be
        found with and without its article). All names over the cutoff are read, not the first few: some are then
        no look-alike, and would have kept out those that are."""
        found = process.extract(key, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF)
        best = {}
        for name, score, _ in found:
            if not look_alike(key, name):
                continue
            for position in self.by_key[name]:
                best.setdefault(position, score)  # `found` is best first
        return [(score, position) for position, score in best.items()][:FUZZY_LIMIT]


_index = None
_index_version = None
_index_checked = 0.0
_lock = threading.Lock()


def _version():
    # Another process may have run load_places: a changed count or highest id means a new index.
    communes = Commune.objects.aggregate(n=Count("pk"), top=Max("pk"))
    localities = Locality.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (communes["n"], communes["top"], localities["n"], localities["top"])


def index():
    global _index, _index_version, _index_checked
    with _lock:
        if _index is not None and time.monotonic() - _index_checked < CHECK_SECONDS:
            return _index
        version = _version()
        if _index is None or _index_version != version:
            _index, _index_version = _Index(), version
        _index_checked = time.monotonic()
        return _index


def forget_index(**kwargs):
    """Drop this process's index: a place was saved (the admin, load_places, a test's factories)."""
    global _index
    with _lock:
        _index = None


post_save.connect(forget_index, sender=Commune, dispatch_uid="towns_forget_commune")
post_save.connect(forget_index, sender=Locality, dispatch_uid="towns_forget_locality")


def distinctive(key, typed=False):
    """A folded name without its generic words: "theoule sur mer" -> "theoule"; "saint malo" -> "malo". What was
    `typed` also loses its misspelt "Saint" ("sain lo", "sant lo" -> "lo")."""
    words = [word for word in key.split() if word not in GENERIC_WORDS and not (typed and _misspelt_saint(word))]
    return " ".join(words) or key


def _misspelt_saint(word):
    return any(OSA.distance(word, saint) <= 1 for saint in SAINTS)


def saint_spellings(key):
    """`key` with each word one typo from "saint" or "sainte" spelt right ("sanit omer", "sain omer" -> "saint
    omer"), a reading for each Saint a word is as close to ("saine"); nothing when no word is misspelt. Callers read
    them only when the name as typed finds nothing: "Saintes" and the Corsican "Sant'Andréa" are names of their own.
    The readings are made one at a time, and at most MAX_SAINT_READINGS of them: each word as close to both Saints
    doubles their number ("saine " * 16 made 65,536 of them, a second and more per keystroke of the autocomplete)."""
    pools, changed = [], False
    for word in key.split():
        nearest = tuple(saint for saint in SAINTS if word not in SAINTS and OSA.distance(word, saint) <= 1)
        changed = changed or bool(nearest)
        pools.append(nearest or (word,))
    if not changed:
        return iter(())
    return (" ".join(reading) for reading in itertools.islice(itertools.product(*pools), MAX_SAINT_READINGS))


def typos(typed, name):
    """How many typos (OSA distance) turn `typed` into `name`: over the whole name, or over the distinctive words
    alone when fewer, as the small words are often left out ("Boulogne mer", "Aix Bains", "Saint Jean Luz")."""
    return min(OSA.distance(typed, name), OSA.distance(distinctive(typed, typed=True), distinctive(name)))


def look_alike(typed, name):
    """Whether `name` may be `typed` misspelt: few typos for the length of what sets the name apart."""
    return typos(typed, name) * LETTERS_PER_TYPO <= len(distinctive(name).replace(" ", ""))


def canonical(key):
    """ "paris 11", "paris 11eme", "paris 11e arr" -> "paris 11e arrondissement", as the data names it."""
    match = ARRONDISSEMENT.match(key)
    number = match and _number(match[2])
    if not number:
        return key
    return f"{match[1]} {number}{'er' if number == 1 else 'e'} arrondissement"


def _number(numeral):
    """15 for "15" or "xv"; None for what is no Roman numeral ("vx", "iiii")."""
    if numeral.isdigit():
        return int(numeral)
    values = [ROMAN[letter] for letter in numeral]
    number = sum(-value if value < after else value for value, after in zip(values, [*values[1:], 0], strict=True))
    return number if _roman(number) == numeral else None


def _roman(number):
    letters = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, number = divmod(number, value)
        letters += numeral * count
    return letters
