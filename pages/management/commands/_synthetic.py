"""Synthetic courses for benchmarks, written with COPY (seed_demo --courses N)."""

import random
from datetime import datetime, timedelta

from django.db import connection, transaction

from courses.demo_content import ADJECTIVES, AUDIENCES, TOPICS
from courses.models import Category, Course, Lesson, Section
from learning.models import Enrollment
from ratings.models import Rating

SYNTHETIC_PREFIX = "synthetic-"


@transaction.atomic
def insert_synthetic_batch(
    *, numbers: range, categories: list[Category], now: datetime, crowd: list[int]
) -> None:
    """One batch of synthetic courses, each with a section, three lessons, and enrolments and
    ratings by the demo crowd; the courses' rating summaries are computed from those."""
    # COPY, not the ORM: 100,000 courses (plus sections and lessons) in well under three
    # minutes. Lessons and sections go in first, with course ids taken from the sequence:
    # Django's foreign keys are checked at commit, so the course insert trigger builds each
    # search vector once, lesson titles included.
    course_ids = next_ids(Course, len(numbers))
    section_ids = next_ids(Section, len(numbers))
    sections, lessons, courses, enrollments, ratings = [], [], [], [], []
    for n, course_id, section_id in zip(numbers, course_ids, section_ids, strict=True):
        rnd = random.Random(n)
        topic = rnd.choice(TOPICS)
        sections.append((section_id, course_id, "Lessons", 1))
        for position in (1, 2, 3):
            title = f"{rnd.choice(TOPICS)} part {position}"
            lessons.append(
                (section_id, course_id, title, f"lesson-{position}", position, "text", "",
                 "Synthetic lesson.", "", 10, False)
            )  # fmt: skip
        courses.append(
            (
                course_id,
                f"{rnd.choice(ADJECTIVES)} {topic} {rnd.choice(AUDIENCES)}",
                f"{SYNTHETIC_PREFIX}{n:07d}",
                f"Learn {topic.lower()} with {rnd.choice(TOPICS).lower()} examples",
                f"A synthetic course about {topic} and {rnd.choice(TOPICS)} for benchmarks.",
                "",
                "",
                categories[n % len(categories)].pk,
                ("beginner", "intermediate", "advanced")[n % 3],
                "en" if n % 10 else "de",
                rnd.randint(30, 900),
                rnd.choice([0, 1900, 2900, 4900]),
                "EUR",
                Course.Status.PUBLISHED.value,
                now - timedelta(minutes=n),
                now,
                now,
                0,  # rating average and count: stored from the ratings below
                0,
                rnd.randint(0, 5000),
            )
        )
        # Real (bulk) enrollments and ratings by the demo learners; the course's average
        # and count are then computed from them below, never made up.
        for user_id in rnd.sample(crowd, rnd.randint(0, 6)):
            enrollments.append((user_id, course_id, Enrollment.Source.ADMIN.value, now, ""))
            ratings.append(
                (user_id, course_id, rnd.choices([5, 4, 3, 2, 1], [45, 35, 12, 5, 3])[0],
                 "", "", 0, False, "", now, now)
            )  # fmt: skip
    copy_rows(Section, ["id", "course_id", "title", "position"], sections)
    copy_rows(Lesson, LESSON_COLUMNS, lessons)
    copy_rows(Course, COURSE_COLUMNS, courses)
    copy_rows(Enrollment, ENROLLMENT_COLUMNS, enrollments)
    copy_rows(Rating, RATING_COLUMNS, ratings)
    store_rating_summaries(course_ids)


LESSON_COLUMNS = ["section_id", "course_id", "title", "slug", "position", "kind", "video_url",
                  "body", "file", "estimated_minutes", "is_preview"]  # fmt: skip
COURSE_COLUMNS = ["id", "title", "slug", "subtitle", "description", "outcomes", "cover",
                  "category_id", "level", "language", "duration_minutes", "price_amount",
                  "currency", "status", "published_at", "created_at", "updated_at",
                  "rating_average", "rating_count", "enrollment_count"]  # fmt: skip
ENROLLMENT_COLUMNS = ["user_id", "course_id", "source", "created_at", "revoked_reason"]
RATING_COLUMNS = ["user_id", "course_id", "stars", "title", "body", "helpful_count", "is_hidden",
                  "hidden_reason", "created_at", "updated_at"]  # fmt: skip


def store_rating_summaries(course_ids: list[int]) -> None:
    """Each course's average and count from its ratings, in one statement for a whole batch.

    The same numbers as ratings.services computes per course (rounded half up to 2 places);
    every synthetic rating is public (not hidden, its author enrolled).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE courses_course AS course
               SET rating_average = round(summary.average, 2), rating_count = summary.n
              FROM (SELECT course_id, avg(stars) AS average, count(*) AS n
                      FROM ratings_rating WHERE course_id = ANY(%s)
                     GROUP BY course_id) AS summary
             WHERE course.id = summary.course_id
            """,
            [course_ids],
        )


def copy_rows(model, columns: list[str], rows: list[tuple]) -> None:
    statement = "COPY {} ({}) FROM STDIN".format(model._meta.db_table, ", ".join(columns))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def next_ids(model, count: int) -> list[int]:
    """Reserve primary keys from the table's sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]
