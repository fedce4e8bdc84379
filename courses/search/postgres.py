"""The default search engine: PostgreSQL full-text search, ranked from stored per-word rankings.

Nothing on the way to a page reads every match of a query, so a cold search costs about the
same at a million courses as at a thousand:
- counts: a one-word query from the per-word facet counts (migration 0011), other queries from
  a capped sample (courses.search.facets);
- ranking: candidates from the stored per-word rankings (courses.search.ranking), checked
  against the full query (phrases, exclusions) and ranked with ts_rank;
- typos: unknown words are replaced by their nearest title word (courses.search.analysis) and
  the corrected query runs through the same path; its matches are mixed in when the exact
  query finds less than a page, and offered as "did you mean".
Each query's counts and its best RANKED_LIMIT ids per filter combination are cached per
"search" generation, so a repeated search reads only its page of courses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Course, Lesson
from courses.search import ranking
from courses.search.analysis import QueryAnalysis, analyse
from courses.search.backend import PER_PAGE, SearchBackend, SearchResults
from courses.search.facets import (
    FACET_TIMEOUT,
    RANKED_LIMIT,
    RATING_BANDS,
    FacetTable,
    cached_facet_table,
    sampled_facet_table,
    search_key,
    table_from_rows,
)
from courses.search.filters import ORDERINGS, CatalogFilters, Sort, apply_filters, with_category_id

SEARCH_CONFIG = "english"
# Fewer exact matches than a page: matches of the corrected spelling are mixed in.
WEAK_RESULTS = PER_PAGE
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


class ParsedQuery(SearchQuery):
    """A tsquery already parsed by PostgreSQL (courses.search.analysis), as a constant: the
    planner folds it once, where websearch_to_tsquery(unaccent(...)) would be evaluated for
    every row checked (unaccent is only STABLE)."""

    def __init__(self, tsquery: str):
        super().__init__(tsquery, config=SEARCH_CONFIG, search_type="raw")
        self.tsquery = tsquery

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[str]]:
        return "%s::tsquery", [self.tsquery]


def either(*tsqueries: str) -> str:
    """The tsquery matching any of these (PostgreSQL's text form reads back as written)."""
    parts = [f"( {tsquery} )" for tsquery in tsqueries if tsquery]
    return " | ".join(parts)


@dataclass(frozen=True)
class Matching:
    """What a query matches, cached per query and minimum rating: its tsquery (OR-ed with
    the corrected spelling's when that was mixed in), its counts, its positive lexemes."""

    tsquery: str
    table: FacetTable
    lexemes: tuple[str, ...]
    suggestion: str = ""
    typo_tolerant: bool = False
    # The ids of the counted sample, when the counts come from one (several words).
    sample_ids: tuple[int, ...] = ()

    def ts_query(self) -> ParsedQuery:
        return ParsedQuery(self.tsquery)

    @property
    def one_word(self) -> bool:
        """The tsquery is one lexeme (no phrase, exclusion or OR): stored rankings are exact."""
        if len(self.lexemes) != 1:
            return False
        quoted = self.lexemes[0].replace("'", "''")
        return self.tsquery == f"'{quoted}'"


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

        matching_key = search_key("matching", query, filters.min_rating)
        ranked_key = search_key(
            "ranked",
            query,
            filters.min_rating,
            filters.category_id,
            filters.level,
            filters.language,
            filters.price,
        )
        found = cache.get_many([matching_key, ranked_key])
        matching, ranked_ids = found.get(matching_key), found.get(ranked_key)
        if not isinstance(matching, Matching):
            matching = self._match(query, base, filters)
            cache.set(matching_key, matching, FACET_TIMEOUT)
        ts_query = matching.ts_query()
        matched = base.filter(search_vector=ts_query)
        table = matching.table
        if table.capped and not table.total(filters):
            # The sample holds none of these filters' matches; count them on their own.
            table = self._filtered_sample(matched, query, filters)
        rank = SearchRank(F("search_vector"), ts_query)
        if filters.effective_sort != Sort.RELEVANCE:
            ranked_ids = None
        elif not isinstance(ranked_ids, list):
            ranked_ids = ranking.ranked_ids(
                matched,
                filters,
                table,
                rank,
                matching.lexemes,
                one_word=matching.one_word,
                sample_ids=matching.sample_ids,
            )
            cache.set(ranked_key, ranked_ids, FACET_TIMEOUT)
        headline = SearchHeadline(
            _SNIPPET_SOURCE,
            ts_query,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=30,
            min_words=12,
        )
        results = self._results(
            matched,
            filters,
            page,
            per_page,
            table=table,
            rank=rank,
            headline=headline,
            ranked_ids=ranked_ids,
        )
        results.typo_tolerant, results.suggestion = matching.typo_tolerant, matching.suggestion
        return results

    def _match(self, query: str, base: QuerySet[Course], filters: CatalogFilters) -> Matching:
        """Count the query; when it finds less than a page and has misspelt words, the
        corrected query joins it (or replaces it, when the exact query finds nothing)."""
        min_band = RATING_BANDS.get(filters.min_rating)
        analysis = analyse(query, min_band=min_band)
        table, sample = self._count(base, analysis)
        matching = Matching(analysis.tsquery, table, analysis.lexemes, sample_ids=sample)
        if analysis.corrected is None or matching.table.size() >= WEAK_RESULTS:
            return matching
        if matching.table.size():
            corrected = analyse(analysis.corrected, correct=False)
            tsquery = either(analysis.tsquery, corrected.tsquery)
            lexemes = tuple(dict.fromkeys((*analysis.lexemes, *corrected.lexemes)))
            table, sample = self._count(base, replace(corrected, tsquery=tsquery, counts=None))
        else:
            corrected = analyse(analysis.corrected, correct=False, min_band=min_band)
            tsquery, lexemes = corrected.tsquery, corrected.lexemes
            table, sample = self._count(base, corrected)
        if table.size() <= matching.table.size():
            return matching  # the correction adds nothing: say nothing about it
        return Matching(
            tsquery,
            table,
            lexemes,
            suggestion=analysis.corrected,
            typo_tolerant=True,
            sample_ids=sample,
        )

    @staticmethod
    def _count(
        base: QuerySet[Course], analysis: QueryAnalysis
    ) -> tuple[FacetTable, tuple[int, ...]]:
        """Stored counts for one word (they came with the analysis), else a capped sample."""
        if analysis.counts is not None:
            return table_from_rows(analysis.counts), ()
        return sampled_facet_table(base.filter(search_vector=ParsedQuery(analysis.tsquery)))

    @staticmethod
    def _filtered_sample(
        matched: QuerySet[Course], query: str, filters: CatalogFilters
    ) -> FacetTable:
        key = search_key(
            "sample",
            query,
            filters.min_rating,
            filters.category_id,
            filters.level,
            filters.language,
            filters.price,
        )
        table = cache.get(key)
        if not isinstance(table, FacetTable):
            table, _ = sampled_facet_table(apply_filters(matched, filters))
            cache.set(key, table, FACET_TIMEOUT)
        return table

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
            page=page_obj,
            facets=table.counts(filters),
            total=total,
            total_capped=table.capped,
        )
