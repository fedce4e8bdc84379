"""Demo quizzes for seed_demo: a graded quiz at the end of a few demo courses (idempotent:
a course whose quiz lesson exists is left alone)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from courses.models import Course, Lesson
from learning.models import Quiz, QuizOption, QuizQuestion

QUIZ_SLUG = "check-your-understanding"
COURSES = ["python-for-data-analysis", "sql-fundamentals", "statistics-in-practice"]

# (kind, prompt, points, explanation, options [(text, correct, feedback)], extra fields)
QUESTIONS = [
    (
        "single",
        "Which pandas method shows the first rows of a data frame?",
        1,
        "`df.head()` returns the first five rows unless you pass another number.",
        [
            ("df.head()", True, "Right: head() shows the first rows."),
            ("df.first()", False, "first() selects by a date offset, not the first rows."),
            ("df.top()", False, "There is no top() method on a data frame."),
        ],
        {},
    ),
    (
        "multiple",
        "Which of these are aggregate functions in SQL?",
        2,
        "COUNT and AVG aggregate many rows into one value; LOWER works row by row.",
        [
            ("COUNT", True, "Yes, COUNT aggregates."),
            ("AVG", True, "Yes, AVG aggregates."),
            ("LOWER", False, "LOWER changes each value; it does not aggregate."),
        ],
        {},
    ),
    (
        "true_false",
        "The median is always equal to the mean.",
        1,
        "Only for symmetric distributions; skewed data pulls the mean away from the median.",
        [("True", False, "Not for skewed data."), ("False", True, "Right.")],
        {},
    ),
    (
        "numeric",
        "What is the mean of 2, 4 and 9? (two decimals are enough)",
        1,
        "(2 + 4 + 9) / 3 = 5.",
        [],
        {"numeric_answer": Decimal(5), "tolerance": Decimal("0.01")},
    ),
    (
        "text",
        "Which SQL keyword removes duplicate rows from a result?",
        1,
        "`SELECT DISTINCT ...` keeps one row of each set of duplicates.",
        [],
        {"accepted_answers": "DISTINCT\nSELECT DISTINCT"},
    ),
]


@transaction.atomic
def seed_demo_quizzes() -> int:
    """Add the demo quiz to each demo course that lacks it; returns how many were added."""
    added = 0
    for course in Course.objects.filter(slug__in=COURSES):
        if Lesson.objects.filter(course=course, slug=QUIZ_SLUG).exists():
            continue
        section = course.sections.order_by("-position", "-id").first()
        if section is None:
            continue
        last = section.lessons.aggregate(last=Max("position"))["last"] or 0
        lesson = Lesson.objects.create(
            section=section,
            title="Check your understanding",
            slug=QUIZ_SLUG,
            position=last + 1,
            kind=Lesson.Kind.QUIZ,
            body="Five short questions on the course. You need 60 % to pass.",
            estimated_minutes=5,
        )
        quiz = Quiz.objects.create(lesson=lesson, pass_mark=60, max_attempts=3, wait_minutes=1)
        for position, (kind, prompt, points, explanation, options, extra) in enumerate(QUESTIONS):
            question = QuizQuestion.objects.create(
                quiz=quiz,
                kind=kind,
                prompt=prompt,
                points=points,
                explanation=explanation,
                position=position,
                **extra,
            )
            QuizOption.objects.bulk_create(
                QuizOption(
                    question=question, text=text, is_correct=correct, feedback=feedback, position=n
                )
                for n, (text, correct, feedback) in enumerate(options)
            )
        added += 1
    return added
