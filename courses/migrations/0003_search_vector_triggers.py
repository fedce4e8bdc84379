"""Keep Course.search_vector current inside PostgreSQL, so no code path can forget it.

Weights: title A, subtitle B, lesson titles C, description D ('english' config, unaccented).
- A BEFORE INSERT/UPDATE row trigger on courses_course recomputes the vector on insert, when
  title/subtitle/description change, or when a writer touches search_vector itself (setting it
  to NULL asks for a refresh; an ORM save() writing back a stale copy is corrected).
- AFTER statement triggers on courses_lesson (with transition tables, so bulk inserts cost one
  set-based UPDATE) mark the affected courses for a refresh when lesson titles change.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION courses_course_document(
    course_id bigint, title text, subtitle text, description text
) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT
        setweight(to_tsvector('english', unaccent(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('english', unaccent(coalesce(subtitle, ''))), 'B')
        || setweight(to_tsvector('english', unaccent(coalesce(
            (SELECT string_agg(l.title, ' ' ORDER BY l.id)
             FROM courses_lesson l WHERE l.course_id = courses_course_document.course_id),
            ''))), 'C')
        || setweight(to_tsvector('english', unaccent(coalesce(description, ''))), 'D')
$$;

CREATE OR REPLACE FUNCTION courses_course_search_vector_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT'
        OR NEW.search_vector IS NULL
        OR NEW.search_vector IS DISTINCT FROM OLD.search_vector
        OR NEW.title IS DISTINCT FROM OLD.title
        OR NEW.subtitle IS DISTINCT FROM OLD.subtitle
        OR NEW.description IS DISTINCT FROM OLD.description
    THEN
        NEW.search_vector := courses_course_document(
            NEW.id, NEW.title, NEW.subtitle, NEW.description);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER courses_course_search_vector
BEFORE INSERT OR UPDATE ON courses_course
FOR EACH ROW EXECUTE FUNCTION courses_course_search_vector_trigger();

CREATE OR REPLACE FUNCTION courses_lesson_touch_course_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses_course SET search_vector = NULL
    WHERE id IN (SELECT DISTINCT course_id FROM new_lessons);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION courses_lesson_touch_course_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses_course SET search_vector = NULL
    WHERE id IN (SELECT DISTINCT course_id FROM old_lessons);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION courses_lesson_touch_course_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE courses_course SET search_vector = NULL
    WHERE id IN (
        SELECT o.course_id FROM old_lessons o JOIN new_lessons n ON n.id = o.id
        WHERE o.title IS DISTINCT FROM n.title OR o.course_id IS DISTINCT FROM n.course_id
        UNION
        SELECT n.course_id FROM old_lessons o JOIN new_lessons n ON n.id = o.id
        WHERE o.title IS DISTINCT FROM n.title OR o.course_id IS DISTINCT FROM n.course_id
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER courses_lesson_search_insert
AFTER INSERT ON courses_lesson REFERENCING NEW TABLE AS new_lessons
FOR EACH STATEMENT EXECUTE FUNCTION courses_lesson_touch_course_inserted();

CREATE TRIGGER courses_lesson_search_delete
AFTER DELETE ON courses_lesson REFERENCING OLD TABLE AS old_lessons
FOR EACH STATEMENT EXECUTE FUNCTION courses_lesson_touch_course_deleted();

CREATE TRIGGER courses_lesson_search_update
AFTER UPDATE ON courses_lesson REFERENCING OLD TABLE AS old_lessons NEW TABLE AS new_lessons
FOR EACH STATEMENT EXECUTE FUNCTION courses_lesson_touch_course_updated();

UPDATE courses_course SET search_vector = NULL;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS courses_lesson_search_update ON courses_lesson;
DROP TRIGGER IF EXISTS courses_lesson_search_delete ON courses_lesson;
DROP TRIGGER IF EXISTS courses_lesson_search_insert ON courses_lesson;
DROP TRIGGER IF EXISTS courses_course_search_vector ON courses_course;
DROP FUNCTION IF EXISTS courses_lesson_touch_course_updated();
DROP FUNCTION IF EXISTS courses_lesson_touch_course_deleted();
DROP FUNCTION IF EXISTS courses_lesson_touch_course_inserted();
DROP FUNCTION IF EXISTS courses_course_search_vector_trigger();
DROP FUNCTION IF EXISTS courses_course_document(bigint, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
