"""Text search: PostgreSQL full-text search in French (accents and plurals), SQLite fallback."""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q

# Created by migration matching.0002: the French snowball stemmer after unaccent, so
# « comptabilite » finds « comptabilité » and « comptable » finds « comptabilité ».
SEARCH_CONFIG = "probono_french"


def text_search(queryset, words, fields):
    """Rows whose fields match the words; every word must match somewhere."""
    words = (words or "").strip()
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = SearchVector(*fields, config=SEARCH_CONFIG)
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.annotate(search=vector).filter(search=query)
    return queryset.filter(_contains_every_word(words.split(), fields))


def _contains_every_word(words, fields):
    per_word = [reduce(or_, (Q(**{f"{field}__icontains": w}) for field in fields)) for w in words]
    return reduce(and_, per_word)
