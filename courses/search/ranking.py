"""The best RANKED_LIMIT matches of a query, without ranking every match.

Each query word has a stored ranking (courses_search_posting, migration 0010: courses with the
word in their title or subtitle, by ts_rank for that word alone). The candidates are

- courses that have *every* query word in their title or subtitle: the rarest word's ranking
  is walked (at most WALK_LIMIT entries), each entry checked against the other words by
  primary key, so "time series forecasting" finds its titles even when "time" alone has
  thousands of better-scored courses;
- the first CANDIDATES_PER_WORD courses of each word's ranking (for OR queries, and courses
  that have some words only in lessons or descriptions).

Only the candidates are read and ranked with ts_rank against the full query (phrases and
exclusions included). When they do not fill the ranking, a small result set (at most
FULL_RANK_LIMIT) is ranked whole; a larger one is ranked among the candidates and the first
RANK_SAMPLE matches (of the sample its counts were read from, when there is one), so the cost
stays bounded at any catalog size. A capped (several-word) query goes straight to that.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from courses.models import Course
from courses.search.facets import RANKED_LIMIT, FacetTable
from courses.search.filters import CatalogFilters, apply_filters

CANDIDATES_PER_WORD = 100
ALL_WORDS_CANDIDATES = 200
WALK_LIMIT = 1000
FULL_RANK_LIMIT = 2000
RANK_SAMPLE = 300

_CANDIDATES = """
    WITH words (word) AS (SELECT DISTINCT unnest(%s::text[])),
    rarest AS (
        SELECT w.word FROM words w
        ORDER BY (SELECT coalesce(sum(f.n), 0) FROM courses_word_facet_count f
                  WHERE f.word = w.word), w.word
        LIMIT 1
    )
    (SELECT walk.course_id FROM (
        SELECT p.course_id FROM courses_search_posting p
        WHERE p.word = (SELECT word FROM rarest)
        ORDER BY p.score DESC, p.course_id DESC LIMIT %s
    ) walk
    WHERE NOT EXISTS (
        SELECT 1 FROM words o WHERE NOT EXISTS (
            SELECT 1 FROM courses_search_posting q
            WHERE q.course_id = walk.course_id AND q.word = o.word))
    LIMIT %s)
    UNION
    SELECT best.course_id FROM words
    CROSS JOIN LATERAL (
        SELECT p.course_id FROM courses_search_posting p WHERE p.word = words.word
        ORDER BY p.score DESC, p.course_id DESC LIMIT %s
    ) best
"""
# The candidates and a list of ids (the sample the counts were read from).
_POOL = _CANDIDATES + " UNION SELECT unnest(%s::bigint[])"
_ONE_WORD = """
    SELECT course_id FROM courses_search_posting WHERE word = %s
    ORDER BY score DESC, course_id DESC LIMIT %s
"""


def ranked_ids(
    matched: QuerySet[Course],
    filters: CatalogFilters,
    table: FacetTable,
    rank: Any,
    lexemes: tuple[str, ...],
    *,
    one_word: bool,
    sample_ids: tuple[int, ...] = (),
) -> list[int]:
    """The best RANKED_LIMIT ids of the matches for the filters, best first."""
    total = table.total(filters)
    if not total:
        return []
    wanted = min(total, RANKED_LIMIT)
    if one_word and filters == CatalogFilters(q=filters.q, sort=filters.sort):
        # One word, no filter: its stored ranking is the ranking (the same ts_rank).
        with connection.cursor() as cursor:
            cursor.execute(_ONE_WORD, [lexemes[0], RANKED_LIMIT])
            ids = [pk for (pk,) in cursor.fetchall()]
        if len(ids) >= wanted:
            return ids
    ranked = (
        apply_filters(matched, filters)
        .annotate(rank=rank)
        .order_by("-rank", "-id")
        .values_list("pk", flat=True)
    )
    params = (list(lexemes), WALK_LIMIT, ALL_WORDS_CANDIDATES, CANDIDATES_PER_WORD)
    if table.capped and sample_ids:
        # Too many matches to rank whole: the candidates and the counted sample, in one go.
        pool = RawSQL(_POOL, (*params, list(sample_ids[:RANK_SAMPLE])))  # noqa: S611 - fixed SQL
        return list(ranked.filter(pk__in=pool)[:RANKED_LIMIT])
    found: list[int] = []
    if lexemes:
        candidates = RawSQL(_CANDIDATES, params)  # noqa: S611 - fixed SQL
        found = list(ranked.filter(pk__in=candidates)[:RANKED_LIMIT])
        if len(found) >= wanted:
            return found
    if not table.capped and total <= FULL_RANK_LIMIT:
        return list(ranked[:RANKED_LIMIT])
    # A large result set: rank the candidates found with its first RANK_SAMPLE matches.
    if not sample_ids:
        sample_ids = tuple(
            apply_filters(matched, filters).order_by().values_list("pk", flat=True)[:RANK_SAMPLE]
        )
    return list(ranked.filter(pk__in=[*found, *sample_ids])[:RANKED_LIMIT])
