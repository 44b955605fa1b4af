"""Synonyms for trades and products, from synonyms.csv beside this file, applied to queries only."""

import csv
import functools
from pathlib import Path

from .analysis import stems

SYNONYMS_FILE = Path(__file__).with_name("synonyms.csv")


def read_groups(path=SYNONYMS_FILE):
    """The file's groups as sets of stems; a cell that is not exactly one searchable word is an error."""
    groups = []
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.reader(line for line in file if line.strip() and not line.lstrip().startswith("#")):
            group = set()
            for cell in row:
                found = stems(cell)
                if len(found) != 1:
                    raise ValueError(f"{path.name}: {cell.strip()!r} is not one searchable word")
                group.add(found[0])
            groups.append(frozenset(group))
    return groups


@functools.cache
def synonyms():
    """{stem: every stem equivalent to it, itself included} for the stems that have synonyms."""
    found = {}
    for group in read_groups():
        for stem in group:
            found[stem] = found.get(stem, frozenset()) | group
    return found
