"""Course search: a small backend interface with PostgreSQL full-text search as the default.

The stored Course.search_vector is maintained by database triggers (migration 0003), so every
writer (admin, seed_demo, bulk inserts, raw SQL) keeps it current. A backend answers one
question: which published courses match this query and these filters, in what order, with
which snippet, and how many per facet value. Another engine (OpenSearch, Meilisearch) would
implement the same `search()` and return the same `SearchResults`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramStrictWordSimilarity,
)
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Category, Course, Lesson

SEARCH_CONFIG = "english"
# word_similarity(query, title) above this counts as a typo match ("pyhton" vs "Python…" ≈ 0.29).
TRIGRAM_THRESHOLD = 0.25
PER_PAGE = 12
# Markers PostgreSQL puts around highlighted words; replaced by <mark> after escaping.
_START, _STOP = "\x02", "\x03"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)


# Snippets come from the subtitle and the description (the title is already on the card).
# Markdown punctuation is dropped so a snippet reads as plain text.
_SNIPPET_SOURCE = Concat(
    F("subtitle"),
    Value(" — "),
    Func(
        F("description"),
        Value(r"[*_`#>\[\]]+"),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    ),
    output_field=TextField(),
)


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_LOW = "price_low"
    PRICE_HIGH = "price_high"
    RATING = "rating"
    POPULAR = "popular"

    CHOICES = [
        (RELEVANCE, "Relevance"),
        (NEWEST, "Newest"),
        (PRICE_LOW, "Price: low to high"),
        (PRICE_HIGH, "Price: high to low"),
        (RATING, "Highest rated"),
        (POPULAR, "Most popular"),
    ]


ORDERINGS = {
    Sort.NEWEST: ("-published_at", "-id"),
    Sort.PRICE_LOW: ("price_amount", "-published_at", "-id"),
    Sort.PRICE_HIGH: ("-price_amount", "-published_at", "-id"),
    Sort.RATING: ("-rating_average", "-rating_count", "-id"),
    Sort.POPULAR: ("-enrollment_count", "-published_at", "-id"),
}


@dataclass(frozen=True)
class CatalogFilters:
    """What the visitor asked for; every field already validated (see courses.forms)."""

    q: str = ""
    category: str = ""  # category slug
    # The slug's id when the caller already knows it (the catalog views do), so neither the
    # facet count nor the page query has to join categories; not part of links or keys.
    category_id: int | None = field(default=None, compare=False)
    level: str = ""
    language: str = ""
    price: str = ""  # "free", "paid" or ""
    min_rating: Decimal | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort and (self.sort != Sort.RELEVANCE or self.q):
            return self.sort
        return Sort.RELEVANCE if self.q else Sort.NEWEST

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as GET parameters (for shareable links and cache keys)."""
        values = {
            "q": self.q,
            "category": self.category,
            "level": self.level,
            "language": self.language,
            "price": self.price,
            "min_rating": "" if self.min_rating is None else str(self.min_rating),
            "sort": self.sort,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class FacetCounts:
    """Courses per value of each facet, for the current query and the other active filters."""

    categories: dict[int, int] = field(default_factory=dict)  # category id → count
    levels: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    prices: dict[str, int] = field(default_factory=dict)  # "free"/"paid" → count


@dataclass
class SearchResults:
    page: Page  # of Course objects; each has .headline (safe HTML or "") and .lesson_count
    facets: FacetCounts
    total: int
    typo_tolerant: bool = False  # True when results come from the trigram fallback


class SearchBackend:
    """Interface: find published courses for a query and filters."""

    def search(
        self, query: str, filters: CatalogFilters, *, page: int | str = 1, per_page: int = PER_PAGE
    ) -> SearchResults:
        raise NotImplementedError


def published_courses() -> QuerySet[Course]:
    """Published courses, the set every catalog page and search starts from."""
    return Course.objects.filter(status=Course.Status.PUBLISHED)


def with_card_fields(queryset: QuerySet[Course]) -> QuerySet[Course]:
    """What a course card shows (category, lesson count), without per-card queries."""
    lesson_count = (
        Lesson.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.select_related("category")
        .defer("search_vector", "outcomes")
        .annotate(lesson_count=Coalesce(Subquery(lesson_count), 0))
    )


def render_headline(raw: str | None) -> SafeString:
    """Escape course text, then turn PostgreSQL's highlight markers into <mark> elements."""
    if not raw:
        return mark_safe("")
    escaped = escape(raw)
    highlighted = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(highlighted.replace(_START, "").replace(_STOP, ""))  # noqa: S308 - escaped


# Relevance rankings are cached this deep (ten pages); later pages are ranked by the database.
RANKED_LIMIT = 120


class _PageOfCourses:
    """Lets Paginator fetch one page of cards with a total we already know (no COUNT(*)).

    A page is one query. With a cached ranking, the page's ids are known and only those rows
    are read. Otherwise the ids are chosen by a narrow subquery (id and sort keys only, so
    ranking thousands of matches sorts small rows, and a plain sort can walk an index), and
    only those rows are read whole, with their snippet and lesson count.
    """

    def __init__(
        self,
        matching: QuerySet[Course],
        order: Iterable[str],
        total: int,
        display: dict[str, Any],
        ranked_ids: list[int] | None = None,
    ):
        self.matching, self.order, self.total = matching, tuple(order), total
        self.display, self.ranked_ids = display, ranked_ids

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list[Course]:
        start, stop = item.start or 0, item.stop
        ids = self.ranked_ids
        if ids is not None and (stop <= len(ids) or len(ids) < RANKED_LIMIT):
            page_ids = ids[start:stop]
            if not page_ids:
                return []
            cards = with_card_fields(Course.objects.filter(pk__in=page_ids))
            by_id = {course.pk: course for course in cards.annotate(**self.display)}
            return [by_id[pk] for pk in page_ids if pk in by_id]
        page_ids = self.matching.order_by(*self.order).values("pk")[item]
        cards = with_card_fields(Course.objects.filter(pk__in=page_ids)).annotate(**self.display)
        return list(cards.order_by(*self.order))


class PostgresSearchBackend(SearchBackend):
    def search(
        self, query: str, filters: CatalogFilters, *, page: int | str = 1, per_page: int = PER_PAGE
    ) -> SearchResults:
        query = " ".join(query.split())
        filters = with_category_id(filters)
        base = published_courses()
        if filters.min_rating is not None:
            base = base.filter(rating_average__gte=filters.min_rating)
        if not query:
            table = cached_facet_table(base, "all", query, filters)
            return self._results(base, filters, page, per_page, table=table)

        ts_query = SearchQuery(
            Func(Value(query), function="unaccent"), config=SEARCH_CONFIG, search_type="websearch"
        )
        headline = SearchHeadline(
            _SNIPPET_SOURCE,
            ts_query,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=30,
            min_words=12,
        )
        matched = base.filter(search_vector=ts_query)
        rank = SearchRank(F("search_vector"), ts_query)
        table, ranked_ids = facets_and_ranking(matched, rank, "fts", query, filters)
        if table.total(filters):
            return self._results(
                matched,
                filters,
                page,
                per_page,
                table=table,
                rank=rank,
                headline=headline,
                ranked_ids=ranked_ids,
            )
        # Nothing matched word for word: try typo tolerance on titles through pg_trgm. The
        # threshold is set for this transaction only, so the GIN trigram index can serve `%>`.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(TRIGRAM_THRESHOLD)],
                )
            similar = base.filter(title__trigram_word_similar=query)
            # Ranked by whole-word likeness, so "pyhton" puts "Python …" above titles that
            # merely share trigrams across word boundaries ("…tion Principles").
            rank = TrigramStrictWordSimilarity(query, "title")
            table, ranked_ids = facets_and_ranking(similar, rank, "trgm", query, filters)
            results = self._results(
                similar,
                filters,
                page,
                per_page,
                table=table,
                rank=rank,
                headline=headline,
                ranked_ids=ranked_ids,
                typo_tolerant=True,
            )
        return results

    def _results(
        self,
        queryset: QuerySet[Course],
        filters: CatalogFilters,
        page: int | str,
        per_page: int,
        *,
        table: FacetTable,
        rank: Any = None,
        headline: Any = None,
        ranked_ids: list[int] | None = None,
        typo_tolerant: bool = False,
    ) -> SearchResults:
        total = table.total(filters)
        sort = filters.effective_sort
        matching = apply_filters(queryset, filters)
        display = {"headline": headline} if headline is not None else {}
        if sort == Sort.RELEVANCE and rank is not None:
            order = ("-rank", "-id")
            matching = matching.annotate(rank=rank)
            display["rank"] = rank
        else:
            order, ranked_ids = ORDERINGS.get(sort) or ORDERINGS[Sort.NEWEST], None
        paginator = Paginator(_PageOfCourses(matching, order, total, display, ranked_ids), per_page)
        page_obj = paginator.get_page(page)
        for course in page_obj.object_list:
            course.headline = render_headline(getattr(course, "headline", ""))
        return SearchResults(
            page=page_obj, facets=table.counts(filters), total=total, typo_tolerant=typo_tolerant
        )


def apply_filters(queryset: QuerySet[Course], filters: CatalogFilters) -> QuerySet[Course]:
    if filters.category_id is not None:
        queryset = queryset.filter(category_id=filters.category_id)
    elif filters.category:
        queryset = queryset.filter(category__slug=filters.category)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.price == "free":
        queryset = queryset.filter(price_amount=0)
    elif filters.price == "paid":
        queryset = queryset.filter(price_amount__gt=0)
    return queryset


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
    return f"courses:{prefix}:{search_cache_version()}:{digest}"


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


def with_category_id(filters: CatalogFilters) -> CatalogFilters:
    """Filters with the category slug's id filled in (0, matching nothing, for an unknown slug)."""
    if not filters.category or filters.category_id is not None:
        return filters
    found = Category.objects.filter(slug=filters.category).values_list("id", flat=True).first()
    return replace(filters, category_id=found or 0)


# --- Cache versions ------------------------------------------------------------------------
# Anonymous catalog, home and course pages are cached under a key that carries the catalog
# version; any change to courses, categories, sections, lessons or enrolments replaces it
# (courses.signals). Facet tables and relevance rankings depend on less (not on enrolment
# counts, which change all the time), so they carry the search version, which enrolments leave
# alone: a busy day of sign-ups does not make every search count all its matches again.
CATALOG_VERSION_KEY = "courses:catalog-version"
SEARCH_VERSION_KEY = "courses:search-version"


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key) or "uncached"
    return version


def catalog_cache_version() -> str:
    return _version(CATALOG_VERSION_KEY)


def search_cache_version() -> str:
    return _version(SEARCH_VERSION_KEY)


def bump_catalog_version(*, search: bool = True) -> None:
    """Make every cached catalog fragment obsolete (a new random version, safe if evicted).

    search=False keeps facet tables and rankings: for changes that cannot alter which courses
    match, their facets or their relevance (enrolments).
    """
    versions = {CATALOG_VERSION_KEY: uuid.uuid4().hex}
    if search:
        versions[SEARCH_VERSION_KEY] = uuid.uuid4().hex
    cache.set_many(versions, timeout=None)


def get_search_backend() -> SearchBackend:
    return PostgresSearchBackend()
