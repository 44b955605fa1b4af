"""A list's page read by a statement Django compiled once per process (producers.paging.StoredCount).

A department page without filters reads the same query on every visit, but for its department and its page: Django
compiled it anew each time (its select list, its joins, its ordering resolved and written), which cost more CPU than
the rest of reading the page (reading it took 2.5 ms of CPU, 1.5 ms since: docs/performance.md). Here a plain query
(_shape()) is compiled once for each key naming everything its SQL depends on, the department's id included, and
each page runs that SQL with its own LIMIT and OFFSET, written by the database's own operations as Django writes
them: the same statement, the same rows, built into the same instances by the queryset's own iterator.
"""

import functools

from django.db.models import Lookup
from django.db.models.expressions import Col
from django.db.models.sql import Query
from django.db.models.sql.where import AND

# The statements compiled once (compiled_once()), by database and query: a department page's, or the national
# list's, for each department and each way of reading its rows. Emptied when full, which only code building
# queries of ever new constants would fill.
_statements = {}
MAX_STATEMENTS = 1000


class _Statement:
    """A query's SQL without its slice, and what its compiler worked out to build its rows (Django's ModelIterable
    reads them from the compiler once the statement has run): read-only, shared by every request of the process."""

    def __init__(self, compiler):
        sql, params = compiler.as_sql(with_limits=False)
        self.sql, self.params = sql, tuple(params)
        self.state = {
            name: getattr(compiler, name)
            for name in ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")
        }


def compiled_once(queryset, start, stop):
    """The rows of queryset[start:stop], as the queryset gives them, its statement compiled once per process for
    each plain query: the same SQL as Django's with the slice's LIMIT and OFFSET, which Django writes the same way.
    A query that is not plain (_shape()) is compiled as usual."""
    shape = _shape(queryset.query)
    if shape is None:
        return list(queryset[start:stop])
    key = (queryset.db, shape)
    statement = _statements.get(key)
    if statement is None:
        if len(_statements) >= MAX_STATEMENTS:
            _statements.clear()
        statement = _statements[key] = _Statement(queryset.query.get_compiler(using=queryset.db))
    page = queryset.all()
    page.query = page.query.chain(_CompiledQuery)
    page.query.compiled = (statement, start, stop)
    return list(page)


def _shape(query):
    """Everything the SQL of `query` depends on, as a key, when it is a plain SELECT of a model's rows (with the rows
    select_related() joins, only() or defer() fields, ordered by names) whose conditions compare its own columns to
    constants (a text or an integer: the status, the department): its SQL and parameters are then the same for any
    query of the same key. None for any other query."""
    where = query.where
    if (
        query.combinator
        or query.distinct
        or query.group_by
        or query.extra
        or query.extra_order_by
        or query.values_select
        or query.annotations
        or query.select
        or not query.default_cols
        or query.select_for_update
        or query.is_sliced
        # No join but select_related()'s, made when compiled (a condition on a foreign key leaves its unused join)
        or any(query.alias_refcount[alias] for alias in query.alias_map if alias != query.base_table)
        or where.connector != AND
        or where.negated
        or not all(isinstance(name, str) for name in query.order_by)
    ):
        return None
    conditions = []
    for condition in where.children:
        if not (
            isinstance(condition, Lookup)
            and isinstance(condition.lhs, Col)
            and condition.lhs.alias == query.base_table
            and isinstance(condition.rhs, str | int)  # a status (a TextChoices), an id
        ):
            return None
        conditions.append((type(condition), condition.lhs.target, condition.rhs))
    names, deferred = query.deferred_loading
    return (
        query.model,
        tuple(conditions),
        repr(query.select_related),
        frozenset(names),
        deferred,
        tuple(query.order_by),
        query.default_ordering,
        query.standard_ordering,
    )


class _CompiledQuery(Query):
    """A query whose SQL is its _Statement's, sliced (`compiled`: the statement, start, stop)."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = _compiled_compiler(type(compiler))
        return compiler


@functools.cache
def _compiled_compiler(base):
    class CompiledCompiler(base):
        def as_sql(self, with_limits=True, with_col_aliases=False):
            statement, start, stop = self.query.compiled
            self.__dict__.update(statement.state)
            return f"{statement.sql} {self.connection.ops.limit_offset_sql(start, stop)}", list(statement.params)

    return CompiledCompiler
