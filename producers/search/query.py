"""Shoppers' queries over the stored stems, with the same results on PostgreSQL and SQLite.

A listing stores its stems in two columns (see documents.py): `search_title` (name and categories) and
`search_body` (descriptions), words separated by single spaces. A query is a list of terms, one per distinct
query word, each the set of that word's stem and its synonyms; a listing matches when each term has one of
its stems among the listing's words, whole words only.

- PostgreSQL: `to_tsvector('simple', search_title || ' ' || search_body) @@ to_tsquery('simple', '(a | b) & c')`,
  the very expression of the GIN index of migration 0009. The 'simple' configuration only splits on spaces and
  lower-cases, and our stems are [a-z0-9]+, so each stem is exactly one lexeme: the same whole-word test as on
  SQLite. We chose stems computed in Python over PostgreSQL's french configuration with unaccent because
  SQLite has no French stemmer: two stemmers would disagree on some words, and the two databases with them.
- SQLite (the embedded default, small directories): `instr(' ' || columns || ' ', ' stem ') > 0` per stem,
  a scan. FTS5 would need a virtual table kept in step by triggers for a database that is not the production
  one; the scan costs 15 ms of CPU for a department's 2,000 listings (count and first page; 2.7 ms without a
  search), see docs/performance.md.

Ranking: the number of terms found in `search_title` (name and categories), then the page's own order.
"""

import functools
import operator

from django.db.models import BooleanField, Case, F, Func, IntegerField, Value, When

from .analysis import stems
from .synonyms import synonyms

# Each term adds a test per stem: hundreds of words would make a large query for nothing.
MAX_TERMS = 8
TITLE_COLUMNS = ("search_title",)
DOCUMENT_COLUMNS = ("search_title", "search_body")


def terms(text):
    """The query's terms: [{stem, synonyms…}, …] for its first MAX_TERMS distinct stems; [] if none."""
    table = synonyms()
    distinct = dict.fromkeys(stems(text))
    return [tuple(sorted(table.get(stem, {stem}))) for stem in list(distinct)[:MAX_TERMS]]


class StemsMatch(Func):
    """True when the given stem columns contain, as whole words, one stem of every term."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, *columns, terms):
        super().__init__(*(F(column) for column in columns))
        self.terms = tuple(tuple(term) for term in terms)

    def _columns_sql(self, compiler, connection):
        compiled = [compiler.compile(column) for column in self.get_source_expressions()]
        return " || ' ' || ".join(sql for sql, _ in compiled), [p for _, params in compiled for p in params]

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = self._columns_sql(compiler, connection)
        words = f"(' ' || {columns} || ' ')"
        sql, all_params = [], []
        for term in self.terms:
            sql.append("(" + " OR ".join(f"instr({words}, %s) > 0" for _ in term) + ")")
            for stem in term:
                all_params += [*params, f" {stem} "]
        return "(" + " AND ".join(sql) + ")", all_params

    def as_postgresql(self, compiler, connection, **extra_context):
        columns, params = self._columns_sql(compiler, connection)
        query = " & ".join("(" + " | ".join(f"'{stem}'" for stem in term) + ")" for term in self.terms)
        return (
            f"to_tsvector('simple'::regconfig, {columns}) @@ to_tsquery('simple'::regconfig, %s)",
            [*params, query],
        )


def search(queryset, text):
    """Listings of `queryset` matching every term of `text`, annotated with `search_rank` and ordered by it.

    A text without any searchable word (empty, punctuation, only "le de la") leaves the queryset as it is.
    """
    found = terms(text)
    if not found:
        return queryset
    rank = functools.reduce(
        operator.add,
        [
            Case(
                When(StemsMatch(*TITLE_COLUMNS, terms=[term]), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in found
        ],
    )
    return (
        queryset.filter(StemsMatch(*DOCUMENT_COLUMNS, terms=found))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "name", "pk")
    )
