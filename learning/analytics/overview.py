"""The all-courses analytics page: totals and a row per course, from one aggregate query."""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class CourseRow:
    course_id: int
    title: str
    slug: str
    enrollments: int
    started: int
    completed: int

    @property
    def started_share(self) -> float:
        return self.started / self.enrollments if self.enrollments else 0.0

    @property
    def completed_share(self) -> float:
        return self.completed / self.enrollments if self.enrollments else 0.0


@dataclass(frozen=True)
class Overview:
    totals: CourseRow  # course_id 0: every course together
    courses: list[CourseRow]  # most enrolments first
    course_count: int  # courses with an active enrolment, also those beyond the limit


_OVERVIEW_SQL = """
WITH lesson_counts AS (
    SELECT course_id, count(*) AS n FROM courses_lesson GROUP BY course_id
), per_learner AS (
    SELECT e.course_id, count(l.id) AS done
    FROM courses_enrollment e
    LEFT JOIN courses_lessonprogress p ON p.enrollment_id = e.id
    LEFT JOIN courses_lesson l ON l.id = p.lesson_id AND l.course_id = e.course_id
    WHERE e.revoked_at IS NULL
    GROUP BY e.id
), per_course AS (
    SELECT pl.course_id,
           count(*) AS enrollments,
           count(*) FILTER (WHERE pl.done > 0) AS started,
           count(*) FILTER (WHERE lc.n > 0 AND pl.done >= lc.n) AS completed
    FROM per_learner pl LEFT JOIN lesson_counts lc ON lc.course_id = pl.course_id
    GROUP BY pl.course_id
)
SELECT c.id, c.title, c.slug, pc.enrollments, pc.started, pc.completed,
       sum(pc.enrollments) OVER (), sum(pc.started) OVER (), sum(pc.completed) OVER (),
       count(*) OVER ()
FROM per_course pc JOIN courses_course c ON c.id = pc.course_id
ORDER BY pc.enrollments DESC, c.id
LIMIT %(limit)s
"""


def overview(*, limit: int | None = 50) -> Overview:
    """Totals over all active enrolments and the `limit` courses with the most (None: all)."""
    with connection.cursor() as cursor:
        cursor.execute(_OVERVIEW_SQL, {"limit": limit})
        rows = cursor.fetchall()
    if not rows:
        return Overview(totals=CourseRow(0, "All courses", "", 0, 0, 0), courses=[], course_count=0)
    first = rows[0]
    return Overview(
        totals=CourseRow(0, "All courses", "", int(first[6]), int(first[7]), int(first[8])),
        courses=[CourseRow(*row[:6]) for row in rows],
        course_count=first[9],
    )
