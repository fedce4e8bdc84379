"""Analytics selectors at 100,000 enrolments (not part of the tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_seller_bench \
        .venv/bin/python bench/analytics.py [--enrollments 100000] [--repeat 20]

Creates the database if missing, migrates it and, once, seeds 20 courses of 12 lessons with
`--enrollments` learners by bulk SQL: half of them in one big course, the rest spread over the
other 19; enrolment dates over a year, 3 % revoked, and progress that thins out lesson by lesson
(each learner finishes the first k lessons, k skewed low). Then times each selector, p50/p95 in
ms, with the 1-minute load average (the machine is shared: it explains most of the spread).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Category, Course, Lesson, Section  # noqa: E402
from learning.analytics import selectors  # noqa: E402
from learning.analytics.overview import overview  # noqa: E402
from learning.models import Enrollment, LessonProgress  # noqa: E402

PREFIX = "bench-analytics-"
COURSES, LESSONS = 20, 12


@transaction.atomic
def seed(enrollments: int) -> None:
    category, _ = Category.objects.get_or_create(slug="bench-analytics", defaults={"name": "Bench"})
    courses = []
    for n in range(COURSES):
        course = Course.objects.create(
            title=f"Analytics bench course {n}",
            slug=f"{PREFIX}{n:02d}",
            category=category,
            status=Course.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for s in range(3):
            section = Section.objects.create(course=course, title=f"Part {s + 1}", position=s)
            for p in range(LESSONS // 3):
                Lesson.objects.create(
                    section=section, title=f"Lesson {s * 4 + p + 1}", slug=f"l{s}-{p}", position=p
                )
        courses.append(course.pk)
    big, rest = courses[0], courses[1:]
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO accounts_user (password, is_superuser, email, display_name, bio, avatar,
                                          is_staff, is_active, date_joined)
               SELECT '!', false, 'bench' || g || '@analytics.example', '', '', '', false, true,
                      now()
               FROM generate_series(1, %s) g
               ON CONFLICT DO NOTHING""",
            [enrollments],
        )
        # Half in the big course, the rest round-robin over the others.
        cursor.execute(
            """INSERT INTO courses_enrollment (user_id, course_id, source, created_at, revoked_at,
                                               revoked_reason)
               SELECT u.id,
                      CASE WHEN u.rn <= %(half)s THEN %(big)s
                           ELSE (%(rest)s::bigint[])[1 + u.rn %% %(nrest)s] END,
                      'free', now() - random() * interval '365 days',
                      CASE WHEN random() < 0.03 THEN now() END, ''
               FROM (SELECT id, row_number() OVER (ORDER BY id) rn FROM accounts_user
                     WHERE email LIKE 'bench%%@analytics.example') u""",
            {"half": enrollments // 2, "big": big, "rest": rest, "nrest": len(rest)},
        )
        cursor.execute(
            """CREATE TEMP TABLE bench_lessons AS
               SELECT l.id, l.course_id,
                      row_number() OVER (PARTITION BY l.course_id
                                         ORDER BY s.position, l.section_id, l.position, l.id) rk
               FROM courses_lesson l JOIN courses_section s ON s.id = l.section_id
               WHERE l.course_id = ANY(%s)""",
            [courses],
        )
        # k lessons done, k = floor(13 * u^1.6): about a quarter finish nothing, few finish all.
        cursor.execute(
            """WITH e AS (
                   SELECT id, course_id, created_at,
                          floor(%(n)s * 1.08 * power(random(), 1.6))::int AS done
                   FROM courses_enrollment WHERE course_id = ANY(%(courses)s))
               INSERT INTO courses_lessonprogress (enrollment_id, lesson_id, completed_at)
               SELECT e.id, l.id, e.created_at + l.rk * interval '9 hours' * (0.5 + random())
               FROM e JOIN bench_lessons l ON l.course_id = e.course_id AND l.rk <= e.done""",
            {"n": LESSONS, "courses": courses},
        )
        cursor.execute("ANALYZE accounts_user, courses_enrollment, courses_lessonprogress")


def timed(function, repeat: int) -> tuple[float, float]:
    function()  # warm the connection and plans
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    if not Course.objects.filter(slug__startswith=PREFIX).exists():
        started = time.perf_counter()
        seed(args.enrollments)
        print(f"Seeded in {time.perf_counter() - started:.0f} s")
    big = Course.objects.get(slug=f"{PREFIX}00")
    small = Course.objects.get(slug=f"{PREFIX}01")
    done = LessonProgress.objects.count()
    in_big = Enrollment.objects.filter(course=big).count()
    print(f"{Enrollment.objects.count():,} enrolments, {in_big:,} in the big course, {done:,} done")
    lessons = selectors.course_lessons(course=big)
    ids = [pk for pk, _ in lessons]
    cases = {
        "course_report (big course, all queries)": lambda: selectors.course_report(course=big),
        "course_report (small course)": lambda: selectors.course_report(course=small),
        "  weekly_enrollments (big course)": lambda: selectors.weekly_enrollments(course=big),
        "  course_summary (big course)": lambda: selectors.course_summary(
            course=big, lesson_ids=ids
        ),
        "  lesson_funnel (big course)": lambda: selectors.lesson_funnel(
            course=big, lessons=lessons, enrollments=1
        ),
        "weekly_enrollments (all courses)": lambda: selectors.weekly_enrollments(),
        "overview (all courses, top 50)": lambda: overview(),
    }
    print(f"{'selector':44} {'p50 ms':>8} {'p95 ms':>8}  load")
    for name, function in cases.items():
        p50, p95 = timed(function, args.repeat)
        print(f"{name:44} {p50:8.1f} {p95:8.1f}  {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
