"""Facet counts and relevance rankings of a query, computed once and cached per search generation.

Counting is the costly part of a catalog page (it reads every matching course), so a query's
facet table is cached and the other filters are applied to it in Python. The cache keys carry
the "search" generation (core.cache_generations), which course and lesson changes replace.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from core import cache_generations
from courses.caching import SEARCH_GENERATION
from courses.models import Course
from courses.search.backend import FacetCounts
from courses.search.filters import CatalogFilters, Sort, apply_filters

# Relevance rankings are cached this deep (ten pages); later pages are ranked by the database.
RANKED_LIMIT = 120


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

    def total(self, filters: CatalogFilters) -> int:
        return sum(group.n for group in self.groups if group.matches(filters))

    def counts(self, filters: CatalogFilters) -> FacetCounts:
        facets = FacetCounts()
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


def _search_key(prefix: str, *parts: object) -> str:
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
    key = _search_key("facets", kind, query, filters.min_rating)
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


def facets_and_ranking(
    matched: QuerySet[Course], rank: Any, kind: str, query: str, filters: CatalogFilters
) -> tuple[FacetTable, list[int] | None]:
    """The facet table of a query's matches and, when sorted by relevance, the ids of its best
    RANKED_LIMIT matches for the filters: from the cache, else in one read of the matches.

    Without a cached facet table, one statement both counts the matches and ranks them (each
    match is read once, not once for counting and again for ranking).
    """
    if filters.effective_sort != Sort.RELEVANCE:
        return cached_facet_table(matched, kind, query, filters), None
    facet_key = _search_key("facets", kind, query, filters.min_rating)
    ranked_key = _search_key(
        "ranked",
        kind,
        query,
        filters.min_rating,
        filters.category_id,
        filters.level,
        filters.language,
        filters.price,
    )
    found = cache.get_many([facet_key, ranked_key])
    table, ranked_ids = found.get(facet_key), found.get(ranked_key)
    if isinstance(table, FacetTable) and isinstance(ranked_ids, list):
        return table, ranked_ids
    if isinstance(table, FacetTable):
        ranked_ids = list(
            apply_filters(matched, filters)
            .annotate(rank=rank)
            .order_by("-rank", "-id")
            .values_list("pk", flat=True)[:RANKED_LIMIT]
        )
        cache.set(ranked_key, ranked_ids, FACET_TIMEOUT)
        return table, ranked_ids
    table, ranked_ids = _count_and_rank(matched, rank, filters)
    cache.set_many({facet_key: table, ranked_key: ranked_ids}, FACET_TIMEOUT)
    return table, ranked_ids


def _count_and_rank(
    matched: QuerySet[Course], rank: Any, filters: CatalogFilters
) -> tuple[FacetTable, list[int]]:
    rows = (
        matched.order_by()
        .annotate(is_free=Q(price_amount=0), rank=rank)
        .values_list("pk", "category_id", "level", "language", "is_free", "rank")
    )
    sql, params = rows.query.sql_with_params()
    conditions, condition_params = ["TRUE"], []
    for column, value in (
        ("category_id", filters.category_id),
        ("level", filters.level),
        ("language", filters.language),
    ):
        if value:
            conditions.append(f"{column} = %s")
            condition_params.append(value)
    if filters.price:
        conditions.append("is_free" if filters.price == "free" else "NOT is_free")
    # The matches, once; then their counts per facet group, and the best ones for the filters.
    statement = f"""
        WITH matches (id, category_id, level, language, is_free, rank) AS MATERIALIZED ({sql})
        SELECT NULL::bigint, category_id, level, language, is_free, count(*), NULL::float8
        FROM matches GROUP BY category_id, level, language, is_free
        UNION ALL
        (SELECT id, NULL, NULL, NULL, NULL, NULL, rank FROM matches
         WHERE {" AND ".join(conditions)} ORDER BY rank DESC, id DESC LIMIT {RANKED_LIMIT})
    """  # noqa: S608 - only fixed column names are interpolated; values are parameters
    groups, ranked = [], []
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *condition_params])
        for pk, category_id, level, language, is_free, n, score in cursor.fetchall():
            if pk is None:
                price = "free" if is_free else "paid"
                groups.append(_Group(category_id, level, language, price, n))
            else:
                ranked.append((-score, -pk, pk))
    return FacetTable(tuple(groups)), [pk for *_, pk in sorted(ranked)]
