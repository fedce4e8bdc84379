"""Demo questions, answers, notes and a bookmark for `seed_demo` (idempotent).

Rows are written directly rather than through the services: seeding must neither hit the
posting rate limit nor email staff about invented questions. The answer counts are set to
what the services would have kept.
"""

from django.db import transaction

from accounts.models import User
from courses.models import Course
from learning.models import Answer, Bookmark, Note, Question

DEMO_QUESTIONS = [
    (
        "Why does my LEFT JOIN return more rows than the left table?",
        "I joined `orders` to `customers` and got **more** rows than I have orders. Why?",
        "Because a customer row matches several times: check that the right side's key is "
        "unique (`SELECT key, count(*) ... GROUP BY key HAVING count(*) > 1`).",
    ),
    ("Is COUNT(*) slower than COUNT(id)?", "Which one should I use in practice?", None),
]


@transaction.atomic
def seed_questions_and_notes(*, course: Course, learner: User, staff: User) -> int:
    """Two questions (one answered by staff and accepted), two notes and a bookmark on the
    course's first lessons; returns how many questions were created (0 when already seeded)."""
    lessons = list(course.lessons.order_by("section__position", "position", "id")[:2])
    if not lessons or Question.objects.filter(course=course, author=learner).exists():
        return 0
    for lesson, (title, body, answer_body) in zip(lessons, DEMO_QUESTIONS, strict=False):
        question = Question.objects.create(author=learner, lesson=lesson, title=title, body=body)
        if answer_body:
            answer = Answer.objects.create(
                question=question, author=staff, body=answer_body, by_staff=staff.is_staff
            )
            question.answer_count = 1
            question.accepted_answer = answer
            question.save(update_fields=["answer_count", "accepted_answer"])
    first = lessons[0]
    Note.objects.create(user=learner, lesson=first, body="Check key **uniqueness** first.")
    Note.objects.create(
        user=learner, lesson=first, body="The part about NULLs in joins.", video_seconds=95
    )
    Bookmark.objects.get_or_create(user=learner, lesson=first)
    return len(lessons)
