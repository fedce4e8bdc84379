"""Aggregate reads for the analytics pages; each runs one query whatever the number of learners.

The population is active enrolments (revoked ones, e.g. refunded, are left out everywhere).
A learner has *started* with one lesson done, *completed* with every lesson of the course done;
only progress on the course's current lessons counts.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from courses.models import Course, Lesson
from learning.models import Enrollment, QuizAttempt
from learning.selectors import LESSON_ORDER


@dataclass(frozen=True)
class Week:
    start: date
    enrollments: int


@dataclass(frozen=True)
class LessonStep:
    position: int  # 1-based, in the course order
    lesson_id: int
    title: str
    finished: int
    share: float  # of active enrolments, 0..1


@dataclass(frozen=True)
class DropOff:
    after: LessonStep  # the last lesson these learners finished
    lesson: LessonStep  # the lesson they did not finish
    lost: int

    @property
    def share(self) -> float:
        """Of those who finished the lesson before."""
        return self.lost / self.after.finished if self.after.finished else 0.0


@dataclass(frozen=True)
class Summary:
    enrollments: int
    started: int
    completed: int
    median_completion: timedelta | None

    @property
    def started_share(self) -> float:
        return self.started / self.enrollments if self.enrollments else 0.0

    @property
    def completed_share(self) -> float:
        return self.completed / self.enrollments if self.enrollments else 0.0


@dataclass(frozen=True)
class QuizPassRate:
    quiz_id: int
    title: str
    learners: int  # who submitted at least one attempt
    passed: int  # who passed at least once

    @property
    def share(self) -> float:
        return self.passed / self.learners if self.learners else 0.0


def weekly_enrollments(*, course: Course | None = None) -> list[Week]:
    """Active enrolments per week (weeks start on Monday), without gaps; one query."""
    enrollments = Enrollment.objects.filter(revoked_at__isnull=True)
    if course is not None:
        enrollments = enrollments.filter(course=course)
    counts = {
        row["week"].date(): row["n"]
        for row in enrollments.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    }
    if not counts:
        return []
    weeks, start, last = [], min(counts), max(counts)
    while start <= last:
        weeks.append(Week(start=start, enrollments=counts.get(start, 0)))
        start += timedelta(days=7)
    return weeks


def course_lessons(*, course: Course) -> list[tuple[int, str]]:
    """(id, title) of the course's lessons in the order learners meet them; one query."""
    return list(
        Lesson.objects.filter(course=course).order_by(*LESSON_ORDER).values_list("id", "title")
    )


# Progress is grouped first and joined to the (fewer) learners who have some: at 50,000
# learners in one course this reads 40 % less than grouping every enrolment with its progress
# (bench/RESULTS.md).
_SUMMARY_SQL = """
WITH done AS (
    SELECT p.enrollment_id, count(*) AS n, max(p.completed_at) AS last_done
    FROM courses_lessonprogress p
    WHERE p.lesson_id = ANY(%(lessons)s)
    GROUP BY p.enrollment_id
)
SELECT (SELECT count(*) FROM courses_enrollment
        WHERE course_id = %(course)s AND revoked_at IS NULL),
       count(*),
       count(*) FILTER (WHERE done.n >= %(total)s),
       percentile_cont(0.5)
           WITHIN GROUP (ORDER BY extract(epoch FROM done.last_done - e.created_at))
           FILTER (WHERE done.n >= %(total)s)
FROM done
JOIN courses_enrollment e
    ON e.id = done.enrollment_id AND e.course_id = %(course)s AND e.revoked_at IS NULL
"""


def course_summary(*, course: Course, lesson_ids: list[int]) -> Summary:
    """Enrolled, started, completed and the median time from enrolment to the last lesson done
    (for those who completed); one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SUMMARY_SQL, {"lessons": lesson_ids, "course": course.pk, "total": len(lesson_ids)}
        )
        enrollments, started, completed, median = cursor.fetchone()
    return Summary(
        enrollments=enrollments,
        started=started,
        completed=completed,
        median_completion=timedelta(seconds=round(median)) if median is not None else None,
    )


def lesson_funnel(
    *, course: Course, lessons: list[tuple[int, str]], enrollments: int
) -> list[LessonStep]:
    """How many active learners finished each lesson, in course order; one query."""
    counts = dict(
        Enrollment.objects.filter(course=course, revoked_at__isnull=True)
        .filter(progress__lesson_id__in=[pk for pk, _ in lessons])
        .values_list("progress__lesson_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        LessonStep(
            position=index,
            lesson_id=pk,
            title=title,
            finished=counts.get(pk, 0),
            share=counts.get(pk, 0) / enrollments if enrollments else 0.0,
        )
        for index, (pk, title) in enumerate(lessons, start=1)
    ]


def biggest_drop_off(steps: list[LessonStep]) -> DropOff | None:
    """The lesson with the largest fall in learners from the lesson before it (the first such
    lesson on a tie); None when no lesson has fewer finishers than the one before."""
    best: DropOff | None = None
    for before, step in pairwise(steps):
        lost = before.finished - step.finished
        if lost > 0 and (best is None or lost > best.lost):
            best = DropOff(after=before, lesson=step, lost=lost)
    return best


def quiz_pass_rates(*, course: Course) -> list[QuizPassRate]:
    """Per quiz of the course, in lesson order: learners who submitted an attempt and learners
    who passed at least once; one query."""
    rows = (
        QuizAttempt.objects.filter(
            enrollment__course=course,
            enrollment__revoked_at__isnull=True,
            submitted_at__isnull=False,  # an attempt still open has no result yet
        )
        .values("quiz_id", "quiz__lesson__title")
        .annotate(
            learners=Count("enrollment_id", distinct=True),
            passed=Count("enrollment_id", filter=Q(passed=True), distinct=True),
        )
        .order_by(*[f"quiz__lesson__{field}" for field in LESSON_ORDER], "quiz_id")
    )
    return [
        QuizPassRate(
            quiz_id=row["quiz_id"],
            title=row["quiz__lesson__title"],
            learners=row["learners"],
            passed=row["passed"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CourseReport:
    course: Course
    weeks: list[Week]
    summary: Summary
    steps: list[LessonStep]
    drop_off: DropOff | None
    quizzes: list[QuizPassRate]


def course_report(*, course: Course) -> CourseReport:
    """Everything the course analytics page shows: five queries (six with quizzes)."""
    lessons = course_lessons(course=course)
    summary = course_summary(course=course, lesson_ids=[pk for pk, _ in lessons])
    steps = lesson_funnel(course=course, lessons=lessons, enrollments=summary.enrollments)
    return CourseReport(
        course=course,
        weeks=weekly_enrollments(course=course),
        summary=summary,
        steps=steps,
        drop_off=biggest_drop_off(steps),
        quizzes=quiz_pass_rates(course=course),
    )
