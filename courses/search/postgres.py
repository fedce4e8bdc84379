"""The default search engine: PostgreSQL full-text search, with pg_trgm for typos."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramStrictWordSimilarity,
)
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Course, Lesson
from courses.search.backend import PER_PAGE, SearchBackend, SearchResults
from courses.search.facets import (
    RANKED_LIMIT,
    FacetTable,
    cached_facet_table,
    facets_and_ranking,
)
from courses.search.filters import ORDERINGS, CatalogFilters, Sort, apply_filters, with_category_id

SEARCH_CONFIG = "english"
# word_similarity(query, title) above this counts as a typo match ("pyhton" vs "Python…" ≈ 0.29).
TRIGRAM_THRESHOLD = 0.25
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
