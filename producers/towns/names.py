"""The in-memory index of place names the town box reads (producers.towns): every commune's and locality's folded
name, held per process and built lazily from the database (about 40,000 short strings), so that exact, prefix and
fuzzy (rapidfuzz) look-ups give the same answers on SQLite and PostgreSQL."""

import bisect
import re
import threading
import time

from django.db.models import Count, Max
from django.db.models.signals import post_save
from rapidfuzz import fuzz, process

from ..models import Commune, Department, Locality

ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) ([0-9]{1,2}) ?(?:e|er|eme|ieme|em)?(?: arr\w*)?$", re.ASCII)
ARTICLES = ("le ", "la ", "les ", "l ", "aux ", "las ", "los ")
# Fuzzy matching: a name must be this similar (rapidfuzz's ratio, 0-100) to be considered.
FUZZY_CUTOFF = 80
FUZZY_LIMIT = 20
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
        self.by_key.setdefault(key, []).append(position)
        for article in ARTICLES:
            if key.startswith(article) and len(key) > len(article):
                self.by_key.setdefault(key[len(article) :], []).append(position)

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
        """[(score, entry index)] of names like `key`, by rapidfuzz's ratio."""
        found = process.extract(key, self.keys, scorer=fuzz.ratio, limit=FUZZY_LIMIT, score_cutoff=FUZZY_CUTOFF)
        return [(score, position) for name, score, _ in found for position in self.by_key[name]]


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


def canonical(key):
    """ "paris 11", "paris 11eme", "paris 11e arr" -> "paris 11e arrondissement", as the data names it."""
    match = ARRONDISSEMENT.match(key)
    if not match:
        return key
    number = int(match[2])
    return f"{match[1]} {number}{'er' if number == 1 else 'e'} arrondissement"
