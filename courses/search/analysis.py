"""What a query asks for, found in one statement before any course is read.

- the tsquery PostgreSQL makes of it (a single lexeme is counted from the per-word facet
  counts of migration 0011, anything else from a capped sample);
- its positive lexemes (not excluded with "-"), whose stored rankings give the candidates;
- for each query word no published course contains, the nearest title word (pg_trgm
  distance on courses_search_word), from which a corrected query is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

# Below this trigram similarity a "correction" is more likely another word than a typo fix:
# pyhton→python is 0.27, machne→machine 0.5, lerning→learning 0.55, statistcs→statistics 0.62.
MIN_SIMILARITY = 0.25
# Among the five nearest words, a common one wins over a slightly closer rare one ("tableu":
# "tableau", in 18,000 courses, not "tables", in 4): similarity + this * ln(1 + courses).
FREQUENCY_WEIGHT = 0.03
# Letters only, three or more: shorter tokens and numbers are too ambiguous to correct.
_WORD = re.compile(r"(?<![\w-])(?<!-)([^\W\d_]{3,})\b")
_SINGLE_LEXEME = re.compile(r"^'((?:[^']|'')+)'$")
_LEXEME = re.compile(r"(!?)'((?:[^']|'')+)'")
# websearch_to_tsquery's operator word, never a typo.
_OPERATORS = {"or"}

# One round trip: the tsquery (kind 0), the correction of each unknown word (kind 1) and, for
# a one-word query, its stored facet counts (kind 2; as courses.search.facets.word_facet_table).
_STATEMENT = """
WITH query AS (
    SELECT tsq::text AS text,
           CASE WHEN tsq::text ~ '^''([^'']|'''')+''$'
                THEN replace(substr(tsq::text, 2, length(tsq::text) - 2), '''''', '''')
           END AS lexeme
    FROM websearch_to_tsquery('english', unaccent(%(query)s)) AS tsq
), words (position, word) AS (
    SELECT position, lower(unaccent(word))
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS given (word, position)
)
SELECT 0, NULL::bigint, text, NULL, NULL::real, NULL::bigint, NULL, NULL, NULL::boolean,
       NULL::numeric
FROM query
UNION ALL
SELECT 1, w.position, w.word, nearest.word, similarity(nearest.word, w.word),
       NULL, NULL, NULL, NULL, NULL
FROM words w
CROSS JOIN LATERAL (
    SELECT near.word FROM (
        SELECT s.word FROM courses_search_word s ORDER BY s.word <-> w.word LIMIT 5
    ) near
    WHERE similarity(near.word, w.word) >= %(min_similarity)s
    ORDER BY similarity(near.word, w.word) + %(frequency_weight)s * ln(1 + coalesce((
        SELECT sum(f.n) FROM courses_word_facet_count f
        WHERE f.word = ANY (tsvector_to_array(to_tsvector('english', near.word)))
    ), 0)) DESC, near.word
    LIMIT 1
) nearest
WHERE NOT EXISTS (
    SELECT 1 FROM courses_word_facet_count f
    WHERE f.word = ANY (tsvector_to_array(to_tsvector('english', w.word))) AND f.n > 0
) AND tsvector_to_array(to_tsvector('english', w.word)) <> '{}'
UNION ALL
SELECT 2, NULL, NULL, NULL, NULL, f.category_id, f.level, f.language, f.is_free, sum(f.n)
FROM courses_word_facet_count f
WHERE f.word = (SELECT lexeme FROM query)
  AND %(min_band)s::int IS NOT NULL AND f.rating_band >= %(min_band)s::int
GROUP BY f.category_id, f.level, f.language, f.is_free
HAVING sum(f.n) > 0
"""


@dataclass(frozen=True)
class QueryAnalysis:
    tsquery: str  # PostgreSQL's text form, e.g. 'python' or 'machin' & 'learn'
    lexeme: str | None  # set when the query is one word: its counts are stored
    lexemes: tuple[str, ...]  # the words a match must or may contain (not the excluded ones)
    corrected: str | None  # the query with unknown words replaced, when any were found
    # For a one-word query and a counted rating band: (category, level, language, is_free, n)
    counts: tuple[tuple, ...] | None = None


def correctable_words(query: str) -> list[str]:
    """Query words that may be corrected: not excluded ("-word"), not an operator."""
    return [w for w in _WORD.findall(query) if w.lower() not in _OPERATORS]


def analyse(query: str, *, correct: bool = True, min_band: int | None = None) -> QueryAnalysis:
    """The query's tsquery and corrections; with a rating band, a one-word query's counts."""
    words = correctable_words(query) if correct else []
    params = {
        "query": query,
        "words": words,
        "min_similarity": MIN_SIMILARITY,
        "frequency_weight": FREQUENCY_WEIGHT,
        "min_band": min_band,
    }
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT, params)
        rows = cursor.fetchall()
    tsquery = ""
    replacements: dict[str, str] = {}
    counts = []
    for kind, position, word, nearest, similarity, *group in rows:
        if kind == 0:
            tsquery = word
        elif kind == 1 and nearest and nearest != word and similarity >= MIN_SIMILARITY:
            replacements[words[position - 1]] = nearest
        elif kind == 2:
            counts.append(tuple(group))
    single = _SINGLE_LEXEME.match(tsquery)
    return QueryAnalysis(
        tsquery=tsquery,
        lexeme=single.group(1).replace("''", "'") if single else None,
        lexemes=tuple(
            dict.fromkeys(
                lexeme.replace("''", "'")
                for negated, lexeme in _LEXEME.findall(tsquery)
                if not negated
            )
        ),
        corrected=_replace_words(query, replacements) if replacements else None,
        counts=tuple(counts) if single and min_band is not None else None,
    )


def _replace_words(query: str, replacements: dict[str, str]) -> str:
    def swap(match: re.Match[str]) -> str:
        return replacements.get(match.group(1), match.group(1))

    return _WORD.sub(swap, query)
