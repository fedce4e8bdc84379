"""Facet counts and relevance rankings of a query, computed once and cached per search generation.

Counting is the costly part of a catalog page (it reads every matching course), so a query's
facet table is cached and the other filters are applied to it in Python. The cache keys carry
the "search" generation (core.cache_generations), which course and lesson changes replace.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from core import cache_generations
from courses.caching import SEARCH_GENERATION
from courses.models import Course
from courses.search.backend import FacetCounts
from courses.search.filters import CatalogFilters

# Relevance rankings are cached this deep (ten pages); later pages are ranked by the database.
RANKED_LIMIT = 120
# A query that is not one word is counted from at most this many matches (then "1,000+").
SAMPLE_LIMIT = 1000


@dataclass(frozen=True)
class _Group:
    category_id: int
    level: str
    language: str
    price: str  # "free" or "paid"
    n: int

    def matches(self, filters: CatalogFilters, skip: str = "") -> bool:
        return all(
            dimension == skip or not wanted or wanted == getattr(self, dimension)
            for dimension, wanted in (
                ("category_id", filters.category_id),
                ("level", filters.level),
                ("language", filters.language),
                ("price", filters.price),
            )
        )


@dataclass(frozen=True)
class FacetTable:
    """Course counts grouped by (category, level, language, free/paid), from one query.

    Each facet counts the groups that match all *other* active filters, so a visitor sees how
    many courses each alternative value would give; the total matches every filter.
    """

    groups: tuple[_Group, ...]
    # True when counted from the first SAMPLE_LIMIT matches only: every count is then a
    # lower bound (shown as "1,000+").
    capped: bool = False

    def size(self) -> int:
        """Matches of the query whatever the category, level, language and price."""
        return sum(group.n for group in self.groups)

    def total(self, filters: CatalogFilters) -> int:
        return sum(group.n for group in self.groups if group.matches(filters))

    def counts(self, filters: CatalogFilters) -> FacetCounts:
        facets = FacetCounts(capped=self.capped)
        for group in self.groups:
            for dimension, bucket, key in (
                ("category_id", facets.categories, group.category_id),
                ("level", facets.levels, group.level),
                ("language", facets.languages, group.language),
                ("price", facets.prices, group.price),
            ):
                if group.matches(filters, skip=dimension):
                    bucket[key] = bucket.get(key, 0) + group.n
        return facets


def facet_table(queryset: QuerySet[Course]) -> FacetTable:
    # Grouped by category id, not slug: with no join the unfiltered catalog is counted by an
    # index-only scan of course_published_facets (migration 0005).
    rows = (
        queryset.order_by()
        .annotate(is_free=Q(price_amount=0))
        .values_list("category_id", "level", "language", "is_free")
        .annotate(n=Count("pk"))
    )
    return FacetTable(
        tuple(
            _Group(category_id, level, language, "free" if is_free else "paid", n)
            for category_id, level, language, is_free, n in rows
        )
    )


FACET_TIMEOUT = 600


def search_key(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"courses:{prefix}:{cache_generations.current(SEARCH_GENERATION)}:{digest}"


def cached_facet_table(
    queryset: QuerySet[Course], kind: str, query: str, filters: CatalogFilters
) -> FacetTable:
    """The facet table for a query (and minimum rating), shared by every page, sort and
    category/level/language/price choice of that query until the catalog's courses change.

    Counting is the costly part of a catalog page (it reads every matching course); the other
    filters are applied to the table in Python, so one entry serves all their combinations.
    """
    key = search_key("facets", kind, query, filters.min_rating)
    table = cache.get(key)
    if not isinstance(table, FacetTable):
        if kind == "all" and filters.min_rating in RATING_BANDS:
            table = materialised_facet_table(RATING_BANDS[filters.min_rating])
        else:
            table = facet_table(queryset)
        cache.set(key, table, FACET_TIMEOUT)
    return table


# Minimum rating → the lowest rating band counted (courses_rating_band, migration 0006).
RATING_BANDS = {None: 0, Decimal("3"): 1, Decimal("4"): 2, Decimal("4.5"): 3}


def materialised_facet_table(min_band: int) -> FacetTable:
    """The facet table of every published course, from the trigger-maintained counts (a few
    hundred rows) instead of a read of the whole catalog."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category_id, level, language, is_free, sum(n) FROM courses_facet_count "
            "WHERE rating_band >= %s GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0",
            [min_band],
        )
        rows = cursor.fetchall()
    return FacetTable(
        tuple(
            _Group(category_id, level, language, "free" if is_free else "paid", int(n))
            for category_id, level, language, is_free, n in rows
        )
    )


def table_from_rows(rows: Iterable[tuple], *, capped: bool = False) -> FacetTable:
    return FacetTable(
        tuple(
            _Group(category_id, level, language, "free" if is_free else "paid", int(n))
            for category_id, level, language, is_free, n in rows
        ),
        capped=capped,
    )


def word_facet_table(lexeme: str, min_band: int) -> FacetTable:
    """Exact facet counts of a one-word query from the trigger-maintained per-word counts
    (migration 0011): at most one row per group, whatever the number of matches."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category_id, level, language, is_free, sum(n) FROM courses_word_facet_count "
            "WHERE word = %s AND rating_band >= %s GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0",
            [lexeme, min_band],
        )
        return table_from_rows(cursor.fetchall())


def sampled_facet_table(matched: QuerySet[Course]) -> tuple[FacetTable, tuple[int, ...]]:
    """Facet counts of the first SAMPLE_LIMIT + 1 matches: exact below the cap, lower bounds
    (capped) above it; and the ids of the sample (the ranking may need them). Several words
    have no stored counts, and counting 184,000 matches of "machine learning" at a million
    courses takes seconds."""
    sample = (
        matched.order_by()
        .annotate(is_free=Q(price_amount=0))
        .values_list("pk", "category_id", "level", "language", "is_free")[: SAMPLE_LIMIT + 1]
    )
    rows = list(sample)
    capped = len(rows) > SAMPLE_LIMIT
    rows = rows[:SAMPLE_LIMIT]
    groups = Counter(tuple(group) for _, *group in rows)
    table = table_from_rows([(*group, n) for group, n in groups.items()], capped=capped)
    return table, tuple(pk for pk, *_ in rows)
