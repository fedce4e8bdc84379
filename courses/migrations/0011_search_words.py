"""Per-word facet counts, per-word rankings and a table of title words, kept current by triggers.

courses_word_facet_count: for every lexeme of a published course's search_vector, how many
published courses contain it per (category, level, language, free/paid, rating band) -- the
same groups as courses_facet_count (migration 0006). A one-word search is counted from these
rows (a few hundred at most) instead of by reading its matches: "python" at 1M courses has
184,000. Statement-level triggers with transition tables keep it exact for every writer,
including the lesson triggers of migration 0003 (they update search_vector).

courses_search_posting: for each lexeme a published course has in its title or subtitle
(weights A, B), the course's ts_rank for that word alone, B-tree indexed by (word, score), so
the best courses for a word are read in rank order and a search ranks only a few hundred
candidates instead of every match. Lesson titles and descriptions (C, D) are left out: any
A or B occurrence outranks them for one word, and they would quadruple the table.

courses_search_word: the words (unstemmed, unaccented, lower case, letters only, 3+ long) of
published course titles and subtitles, what visitors type. A misspelt query word is replaced
by its nearest word here (trigram distance, GiST index). Words are only ever added: a word
whose courses were all removed is at worst suggested for a query that then finds nothing, and
the backend shows a suggestion only when it adds results.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE courses_word_facet_count (
    word text NOT NULL,
    category_id bigint NOT NULL,
    level varchar(20) NOT NULL,
    language varchar(10) NOT NULL,
    is_free boolean NOT NULL,
    rating_band smallint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (word, category_id, level, language, is_free, rating_band)
);

CREATE TABLE courses_search_posting (
    course_id bigint NOT NULL,
    word text NOT NULL,
    score real NOT NULL,
    PRIMARY KEY (course_id, word)
);
CREATE INDEX courses_search_posting_rank
    ON courses_search_posting (word, score DESC, course_id DESC);

CREATE OR REPLACE FUNCTION courses_add_postings(ids bigint[], vectors tsvector[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO courses_search_posting (course_id, word, score)
    SELECT r.id, u.lexeme, ts_rank(r.vector, quote_literal(u.lexeme)::tsquery)
    FROM unnest(ids, vectors) AS r(id, vector), unnest(r.vector) AS u
    WHERE u.weights && '{A,B}'::text[]
    ORDER BY 1, 2
    ON CONFLICT (course_id, word) DO UPDATE SET score = excluded.score
$$;

CREATE TABLE courses_search_word (word text PRIMARY KEY);
CREATE INDEX courses_search_word_trgm ON courses_search_word USING gist (word gist_trgm_ops);

-- Deltas: one row per (word, group) with a signed count, applied in a fixed order so that
-- concurrent writers lock rows in the same order (no deadlocks between them).
CREATE OR REPLACE FUNCTION courses_word_facet_apply(deltas jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO courses_word_facet_count AS f
        (word, category_id, level, language, is_free, rating_band, n)
    SELECT d->>'word', (d->>'category_id')::bigint, d->>'level', d->>'language',
           (d->>'is_free')::boolean, (d->>'rating_band')::smallint, (d->>'n')::bigint
    FROM jsonb_array_elements(deltas) d
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (word, category_id, level, language, is_free, rating_band)
    DO UPDATE SET n = f.n + excluded.n
$$;

CREATE OR REPLACE FUNCTION courses_add_search_words(rows_title text[], rows_subtitle text[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO courses_search_word (word)
    SELECT DISTINCT w
    FROM unnest(rows_title, rows_subtitle) AS r(title, subtitle),
         unnest(tsvector_to_array(to_tsvector('simple',
             unaccent(coalesce(r.title, '') || ' ' || coalesce(r.subtitle, ''))))) AS w
    WHERE w ~ '^[[:alpha:]]{3,}$'
    ORDER BY w
    ON CONFLICT (word) DO NOTHING
$$;

CREATE OR REPLACE FUNCTION courses_course_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_word_facet_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT w AS word, category_id, level, language, price_amount = 0 AS is_free,
               courses_rating_band(rating_average) AS rating_band, count(*) AS n
        FROM new_courses, unnest(tsvector_to_array(search_vector)) AS w
        WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5, 6
    ) g;
    PERFORM courses_add_search_words(array_agg(title), array_agg(subtitle)),
            courses_add_postings(array_agg(id), array_agg(search_vector))
    FROM new_courses WHERE status = 'published';
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION courses_course_words_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_word_facet_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT w AS word, category_id, level, language, price_amount = 0 AS is_free,
               courses_rating_band(rating_average) AS rating_band, -count(*) AS n
        FROM old_courses, unnest(tsvector_to_array(search_vector)) AS w
        WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5, 6
    ) g;
    DELETE FROM courses_search_posting WHERE course_id IN (SELECT id FROM old_courses);
    RETURN NULL;
END;
$$;

-- Only rows whose words or counted columns changed move counts, so enrolment counts and
-- other frequent updates cost one join of the transition tables and nothing more.
CREATE OR REPLACE FUNCTION courses_course_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_word_facet_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT word, category_id, level, language, is_free, rating_band, sum(n) AS n FROM (
            SELECT w AS word, o.category_id, o.level, o.language, o.price_amount = 0 AS is_free,
                   courses_rating_band(o.rating_average) AS rating_band, -1 AS n
            FROM old_courses o JOIN new_courses c ON c.id = o.id,
                 unnest(tsvector_to_array(o.search_vector)) AS w
            WHERE o.status = 'published'
              AND (o.status, o.search_vector, o.category_id, o.level, o.language,
                   o.price_amount = 0, courses_rating_band(o.rating_average))
                  IS DISTINCT FROM
                  (c.status, c.search_vector, c.category_id, c.level, c.language,
                   c.price_amount = 0, courses_rating_band(c.rating_average))
            UNION ALL
            SELECT w, c.category_id, c.level, c.language, c.price_amount = 0,
                   courses_rating_band(c.rating_average), 1
            FROM old_courses o JOIN new_courses c ON c.id = o.id,
                 unnest(tsvector_to_array(c.search_vector)) AS w
            WHERE c.status = 'published'
              AND (o.status, o.search_vector, o.category_id, o.level, o.language,
                   o.price_amount = 0, courses_rating_band(o.rating_average))
                  IS DISTINCT FROM
                  (c.status, c.search_vector, c.category_id, c.level, c.language,
                   c.price_amount = 0, courses_rating_band(c.rating_average))
        ) changes
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
    ) g;
    PERFORM courses_add_search_words(array_agg(c.title), array_agg(c.subtitle))
    FROM old_courses o JOIN new_courses c ON c.id = o.id
    WHERE c.status = 'published'
      AND (o.title, o.subtitle, o.status) IS DISTINCT FROM (c.title, c.subtitle, c.status);
    DELETE FROM courses_search_posting WHERE course_id IN (
        SELECT o.id FROM old_courses o JOIN new_courses c ON c.id = o.id
        WHERE (o.status, o.search_vector) IS DISTINCT FROM (c.status, c.search_vector));
    PERFORM courses_add_postings(array_agg(c.id), array_agg(c.search_vector))
    FROM old_courses o JOIN new_courses c ON c.id = o.id
    WHERE c.status = 'published'
      AND (o.status, o.search_vector) IS DISTINCT FROM (c.status, c.search_vector);
    RETURN NULL;
END;
$$;

CREATE TRIGGER courses_course_words_insert
AFTER INSERT ON courses_course REFERENCING NEW TABLE AS new_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_words_inserted();

CREATE TRIGGER courses_course_words_delete
AFTER DELETE ON courses_course REFERENCING OLD TABLE AS old_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_words_deleted();

CREATE TRIGGER courses_course_words_update
AFTER UPDATE ON courses_course REFERENCING OLD TABLE AS old_courses NEW TABLE AS new_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_words_updated();

CREATE OR REPLACE FUNCTION courses_course_words_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM courses_word_facet_count;
    DELETE FROM courses_search_word;
    DELETE FROM courses_search_posting;
    RETURN NULL;
END;
$$;

CREATE TRIGGER courses_course_words_truncate
AFTER TRUNCATE ON courses_course
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_words_truncated();

INSERT INTO courses_word_facet_count
    (word, category_id, level, language, is_free, rating_band, n)
SELECT w, category_id, level, language, price_amount = 0, courses_rating_band(rating_average),
       count(*)
FROM courses_course, unnest(tsvector_to_array(search_vector)) AS w
WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO courses_search_word (word)
SELECT DISTINCT w
FROM courses_course,
     unnest(tsvector_to_array(to_tsvector('simple',
         unaccent(coalesce(title, '') || ' ' || coalesce(subtitle, ''))))) AS w
WHERE status = 'published' AND w ~ '^[[:alpha:]]{3,}$';

INSERT INTO courses_search_posting (course_id, word, score)
SELECT id, u.lexeme, ts_rank(search_vector, quote_literal(u.lexeme)::tsquery)
FROM courses_course, unnest(search_vector) AS u
WHERE status = 'published' AND u.weights && '{A,B}'::text[];
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS courses_course_words_truncate ON courses_course;
DROP TRIGGER IF EXISTS courses_course_words_update ON courses_course;
DROP TRIGGER IF EXISTS courses_course_words_delete ON courses_course;
DROP TRIGGER IF EXISTS courses_course_words_insert ON courses_course;
DROP FUNCTION IF EXISTS courses_course_words_truncated();
DROP FUNCTION IF EXISTS courses_course_words_updated();
DROP FUNCTION IF EXISTS courses_course_words_deleted();
DROP FUNCTION IF EXISTS courses_course_words_inserted();
DROP FUNCTION IF EXISTS courses_add_search_words(text[], text[]);
DROP FUNCTION IF EXISTS courses_word_facet_apply(jsonb);
DROP FUNCTION IF EXISTS courses_add_postings(bigint[], tsvector[]);
DROP TABLE IF EXISTS courses_search_posting;
DROP TABLE IF EXISTS courses_search_word;
DROP TABLE IF EXISTS courses_word_facet_count;
"""


class Migration(migrations.Migration):
    dependencies = [("courses", "0010_lesson_quiz_and_exercise_kinds")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
