"""Text search: PostgreSQL full-text search in French (accents and plurals), SQLite fallback."""

from functools import reduce
from operator import add, and_, or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q

# Two configurations, matched either way: PostgreSQL's "french" stems « comptable » and
# « comptabilité » alike (comptabl), but keeps accents; "probono_french" (migration
# matching.0002) strips accents before stemming, so « comptabilite » typed without its accent
# is found too. Neither alone does both.
SEARCH_CONFIGS = ("french", "probono_french")


def text_search(queryset, words, fields):
    """Rows whose fields match the words; every word must match somewhere."""
    words = (words or "").strip()
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        vector = reduce(add, (SearchVector(*fields, config=c) for c in SEARCH_CONFIGS))
        query = reduce(
            or_, (SearchQuery(words, config=c, search_type="websearch") for c in SEARCH_CONFIGS)
        )
        return queryset.annotate(search=vector).filter(search=query)
    return queryset.filter(_contains_every_word(words.split(), fields))


def _contains_every_word(words, fields):
    per_word = [reduce(or_, (Q(**{f"{field}__icontains": w}) for field in fields)) for w in words]
    return reduce(and_, per_word)
