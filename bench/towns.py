"""Town look-ups (producers/towns/) on the real places: index build time and memory, time per look-up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/localdir_bench_100k python bench/towns.py [--rounds 200]

Needs a database with the places loaded (`manage.py load_places`; bench/run.py's `localdir_bench_100k` has them).
Prints the index's build time, its Python heap size (tracemalloc) and the process's resident growth, then p50/p95
per kind of query: exact names, labels, postal codes, former communes, arrondissements, homonyms (a choice), typos
(rapidfuzz), and the autocomplete's suggestions. Then how typos of the 300 largest communes end: one letter
dropped, two swapped, one doubled, at a random place (seeded).
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/localdir_bench_100k")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localdir.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from producers import towns  # noqa: E402
from producers.models import Commune, Department  # noqa: E402

settings.DEBUG = False

QUERIES = {
    "exact name": ["Angers", "Nantes", "Le Mans", "Saint-Barthélemy-d'Anjou", "Cholet"],
    "label": ["Angers (49)", "Saint-Martin (67)", "Andard (Loire-Authion)"],
    "postal code": ["49100", "13001", "69003", "75011", "49800"],
    "former commune": ["Andard", "Corné", "Bauné"],
    "arrondissement": ["Paris 11e", "Lyon 3e", "Marseille 1er"],
    "homonyms (choice)": ["Saint-Martin", "Sainte-Colombe", "Beaulieu"],
    "typo (rapidfuzz)": ["angrs", "nantse", "Chalones-sur-Loire", "Tolouse", "strasbour"],
    "nothing found": ["xqzwv", "99999"],
}
SUGGESTIONS = ["an", "sain", "saint-martin", "4910", "chalones"]


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def timed(function, rounds):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if Commune.objects.count() < 30_000:
        sys.exit("Load the places first: manage.py load_places")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    towns.index()
    build = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    towns.forget_index()
    tracemalloc.start()
    towns.index()
    heap = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"index: {len(towns.index().entries)} places, {len(towns.index().keys)} names")
    resident = (rss_after - rss_before) / 1024
    print(f"index build: {build * 1000:.0f} ms, heap {heap / 1e6:.1f} MB, resident +{resident:.1f} MB")
    print(f"{'kind':<20} {'p50 ms':>8} {'p95 ms':>8}")
    for kind, queries in QUERIES.items():
        p50, p95 = timed(lambda queries=queries: [towns.resolve(q) for q in queries], args.rounds)
        print(f"{kind:<20} {p50 / len(queries):8.2f} {p95 / len(queries):8.2f}")
    anjou = Department.objects.get(code="49")
    p50, p95 = timed(lambda: [towns.suggest(q, department=anjou) for q in SUGGESTIONS], args.rounds)
    print(f"{'suggestions':<20} {p50 / len(SUGGESTIONS):8.2f} {p95 / len(SUGGESTIONS):8.2f}")
    print("(per query: each round runs the kind's queries once; p50/p95 of the round divided by their number)")
    typos()


def typos():
    generator = random.Random(1)
    outcomes = {"the town": 0, "a choice with it": 0, "another place": 0, "nothing": 0}
    largest = list(Commune.objects.order_by("-population")[:300])
    for commune in largest:
        name = commune.name
        for way in ("drop", "swap", "double"):
            i = generator.randrange(1, len(name) - 1)
            typo = {
                "drop": name[:i] + name[i + 1 :],
                "swap": name[:i] + name[i + 1] + name[i] + name[i + 2 :],
                "double": name[:i] + name[i] + name[i:],
            }[way]
            resolution = towns.resolve(typo)
            if resolution.place and resolution.place.commune == commune and not resolution.place.locality:
                outcomes["the town"] += 1
            elif any(p.commune == commune for p in resolution.choices):
                outcomes["a choice with it"] += 1
            elif resolution.place or resolution.choices:
                outcomes["another place"] += 1
            else:
                outcomes["nothing"] += 1
    print(f"{len(largest) * 3} typos of the {len(largest)} largest communes lead to: ", end="")
    print(", ".join(f"{outcome} {count}" for outcome, count in outcomes.items()))


if __name__ == "__main__":
    main()
