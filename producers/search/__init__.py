"""French full-text search of listings: stems computed in Python, matched alike on PostgreSQL and SQLite.

analysis: text -> stems; synonyms: synonyms.csv; documents: what a listing stores; query: what a query matches.
"""

from .documents import FIELDS, document, listing_document, reindex
from .query import search, terms

__all__ = ["FIELDS", "document", "listing_document", "reindex", "search", "terms"]
