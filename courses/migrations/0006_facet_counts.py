"""Materialised facet counts for the unfiltered catalog.

courses_facet_count holds, for published courses, how many there are per (category, level,
language, free/paid, rating band). Statement-level triggers with transition tables keep it
exact for every writer (ORM, bulk inserts, QuerySet.update, raw SQL, TRUNCATE): a bulk
insert costs one set-based upsert. An UPDATE touches the table only for rows whose counted columns changed, so
the frequent enrolment-count and rating-count updates take no lock here.

Rating bands match the catalog's "minimum rating" choices (3, 4, 4.5): band 3 is >= 4.5,
2 is >= 4, 1 is >= 3, 0 below.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE courses_facet_count (
    category_id bigint NOT NULL,
    level varchar(20) NOT NULL,
    language varchar(10) NOT NULL,
    is_free boolean NOT NULL,
    rating_band smallint NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (category_id, level, language, is_free, rating_band)
);

CREATE OR REPLACE FUNCTION courses_rating_band(rating numeric) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (CASE WHEN rating >= 4.5 THEN 3 WHEN rating >= 4 THEN 2 WHEN rating >= 3 THEN 1
            ELSE 0 END)::smallint
$$;

CREATE OR REPLACE FUNCTION courses_facet_count_apply(deltas jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO courses_facet_count AS f
        (category_id, level, language, is_free, rating_band, n)
    SELECT (d->>'category_id')::bigint, d->>'level', d->>'language', (d->>'is_free')::boolean,
           (d->>'rating_band')::smallint, (d->>'n')::bigint
    FROM jsonb_array_elements(deltas) d
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (category_id, level, language, is_free, rating_band)
    DO UPDATE SET n = f.n + excluded.n
$$;

CREATE OR REPLACE FUNCTION courses_course_facets_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_facet_count_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT category_id, level, language, price_amount = 0 AS is_free,
               courses_rating_band(rating_average) AS rating_band, count(*) AS n
        FROM new_courses WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5
    ) g;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION courses_course_facets_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_facet_count_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT category_id, level, language, price_amount = 0 AS is_free,
               courses_rating_band(rating_average) AS rating_band, -count(*) AS n
        FROM old_courses WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5
    ) g;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION courses_course_facets_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM courses_facet_count_apply(coalesce(jsonb_agg(g), '[]'::jsonb)) FROM (
        SELECT category_id, level, language, is_free, rating_band, sum(n) AS n FROM (
            SELECT o.category_id, o.level, o.language, o.price_amount = 0 AS is_free,
                   courses_rating_band(o.rating_average) AS rating_band,
                   CASE WHEN o.status = 'published' THEN -1 ELSE 0 END AS n
            FROM old_courses o JOIN new_courses c ON c.id = o.id
            WHERE (o.status, o.category_id, o.level, o.language, o.price_amount = 0,
                   courses_rating_band(o.rating_average))
                IS DISTINCT FROM
                  (c.status, c.category_id, c.level, c.language, c.price_amount = 0,
                   courses_rating_band(c.rating_average))
            UNION ALL
            SELECT c.category_id, c.level, c.language, c.price_amount = 0,
                   courses_rating_band(c.rating_average),
                   CASE WHEN c.status = 'published' THEN 1 ELSE 0 END
            FROM old_courses o JOIN new_courses c ON c.id = o.id
            WHERE (o.status, o.category_id, o.level, o.language, o.price_amount = 0,
                   courses_rating_band(o.rating_average))
                IS DISTINCT FROM
                  (c.status, c.category_id, c.level, c.language, c.price_amount = 0,
                   courses_rating_band(c.rating_average))
        ) changes
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
    ) g;
    RETURN NULL;
END;
$$;

CREATE TRIGGER courses_course_facets_insert
AFTER INSERT ON courses_course REFERENCING NEW TABLE AS new_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_facets_inserted();

CREATE TRIGGER courses_course_facets_delete
AFTER DELETE ON courses_course REFERENCING OLD TABLE AS old_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_facets_deleted();

CREATE TRIGGER courses_course_facets_update
AFTER UPDATE ON courses_course REFERENCING OLD TABLE AS old_courses NEW TABLE AS new_courses
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_facets_updated();

-- TRUNCATE (Django's flush between transactional tests) fires no DELETE trigger.
CREATE OR REPLACE FUNCTION courses_course_facets_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM courses_facet_count;
    RETURN NULL;
END;
$$;

CREATE TRIGGER courses_course_facets_truncate
AFTER TRUNCATE ON courses_course
FOR EACH STATEMENT EXECUTE FUNCTION courses_course_facets_truncated();

INSERT INTO courses_facet_count (category_id, level, language, is_free, rating_band, n)
SELECT category_id, level, language, price_amount = 0, courses_rating_band(rating_average),
       count(*)
FROM courses_course WHERE status = 'published' GROUP BY 1, 2, 3, 4, 5;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS courses_course_facets_truncate ON courses_course;
DROP TRIGGER IF EXISTS courses_course_facets_update ON courses_course;
DROP TRIGGER IF EXISTS courses_course_facets_delete ON courses_course;
DROP TRIGGER IF EXISTS courses_course_facets_insert ON courses_course;
DROP FUNCTION IF EXISTS courses_course_facets_truncated();
DROP FUNCTION IF EXISTS courses_course_facets_updated();
DROP FUNCTION IF EXISTS courses_course_facets_deleted();
DROP FUNCTION IF EXISTS courses_course_facets_inserted();
DROP FUNCTION IF EXISTS courses_facet_count_apply(jsonb);
DROP FUNCTION IF EXISTS courses_rating_band(numeric);
DROP TABLE IF EXISTS courses_facet_count;
"""


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_catalog_facet_index")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
