"""Nothing a visitor types can break a page: every URL, for every kind of visitor, with valid,
missing and hostile input, answers below 500; and every form refuses a POST without its CSRF
token, except Stripe's webhook.

The sweep walks the project's URL resolver, so a new URL is swept as soon as it exists (and
test_every_url_pattern_is_swept fails until it has arguments below). Each request runs in a
savepoint that is rolled back, so every request sees the same world and one failure cannot
poison the next.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import stripe
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from blog import services as blog_services
from learning.models import Certificate, Enrollment, Quiz, QuizAttempt
from learning.quizzes.services import start_attempt
from legal.models import LegalDocument, LegalVersion
from purchases.models import Refund
from purchases.services.invoices import issue_credit_note, issue_invoice
from tests.blog.factories import CommentFactory, PostFactory, TagFactory
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    SectionFactory,
)
from tests.learning.quiz_factories import add_choice, add_numeric, add_text
from tests.purchases.conftest import FakeStripe
from tests.purchases.factories import OrderFactory
from tests.ratings.factories import rate

ROLES = ["anonymous", "learner", "staff"]

# Our apps' admin pages are swept; allauth's, auth's and sites' admin internals are not.
SWEPT_ADMIN_APPS = {"accounts", "courses", "purchases", "ratings", "blog", "legal"}
NOT_SWEPT = {
    None,  # the media file server (static files) and allauth's unnamed legacy redirects
}


# --- The world every request sees ---------------------------------------------------------


@dataclass
class World:
    learner: object
    staff: object
    category: object
    course: object  # paid, the learner bought it
    free_course: object
    draft: object
    lesson: object
    video_lesson: object
    order: object
    pending_order: object
    invoice: object
    credit_note: object
    rating: object
    other_rating: object
    post: object
    tag: object
    comment: object
    other_comment: object
    email_address: object


@pytest.fixture
def fake_stripe(settings):
    """The Stripe gateway with a test key; the HTTP client answers instead of Stripe."""
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    previous = stripe.default_http_client
    stripe.default_http_client = FakeStripe()
    yield stripe.default_http_client
    stripe.default_http_client = previous


@pytest.fixture
def world(learner, other_learner, staff, fake_stripe) -> World:
    category = CategoryFactory(slug="data")
    course = CourseFactory(slug="pandas", category=category, price_amount=4900)
    section = SectionFactory(course=course, position=0)
    lesson = LessonFactory(section=section, slug="intro", position=0)
    video_lesson = LessonFactory(
        section=section,
        slug="video",
        position=1,
        kind="video",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    free_course = CourseFactory(slug="free-sql", category=category, price_amount=0)
    LessonFactory(section=SectionFactory(course=free_course), slug="start")
    draft = CourseFactory(slug="draft-course", category=category, status="draft")

    order = OrderFactory(
        user=learner,
        course=course,
        status="paid",
        paid_at=timezone.now(),
        amount_paid=4900,
        payment_intent_id="pi_3TestSweep",
    )
    invoice = issue_invoice(order=order)
    credit_note = issue_credit_note(
        refund=Refund.objects.create(
            order=order, stripe_refund_id="re_sweep", amount=100, status="succeeded"
        )
    )
    EnrollmentFactory(user=learner, course=course, source=Enrollment.Source.PURCHASE)
    EnrollmentFactory(user=staff, course=course, source=Enrollment.Source.ADMIN)
    quiz = Quiz.objects.create(
        lesson=LessonFactory(section=section, slug="quiz", position=2, kind="quiz"), max_attempts=2
    )
    add_choice(quiz, "multiple", (("A", True), ("B", True), ("C", False)))
    add_numeric(quiz)
    add_text(quiz)
    start_attempt(quiz=quiz, enrollment=Enrollment.objects.get(user=learner, course=course))
    pending_course = CourseFactory(slug="numpy", category=category, price_amount=2900)
    pending_order = OrderFactory(user=learner, course=pending_course)
    rating = rate(course, 4, user=learner, title="Useful", body="Clear *and* short.")
    other_rating = rate(course, 5, user=other_learner, title="Great")

    tag = TagFactory(slug="python")
    post = PostFactory(slug="hello", author=staff, tags=[tag])
    comment = CommentFactory(post=post, author=learner, body="Mine")
    other_comment = CommentFactory(post=post, author=other_learner, body="Theirs")
    return World(
        learner=learner,
        staff=staff,
        category=category,
        course=course,
        free_course=free_course,
        draft=draft,
        lesson=lesson,
        video_lesson=video_lesson,
        order=order,
        pending_order=pending_order,
        invoice=invoice,
        credit_note=credit_note,
        rating=rating,
        other_rating=other_rating,
        post=post,
        tag=tag,
        comment=comment,
        other_comment=other_comment,
        email_address=EmailAddress.objects.get(user=learner),
    )


# --- URL arguments: real objects, and objects that do not exist ----------------------------


def qa_kwargs(w: World) -> dict[str, dict]:
    """Q&A and notes URLs (learning.questions, learning.notes), on the learner's own rows."""
    from learning.models import Answer, Note, Question
    from learning.questions.tasks import unsubscribe_token

    question = Question.objects.filter(lesson=w.lesson).first() or Question.objects.create(
        author=w.learner, lesson=w.lesson, title="Why?", body="Because"
    )
    answer = Answer.objects.filter(question=question).first() or Answer.objects.create(
        author=w.learner, question=question, body="This"
    )
    note = Note.objects.filter(lesson=w.lesson).first() or Note.objects.create(
        user=w.learner, lesson=w.lesson, body="Mine", video_seconds=5
    )
    course, in_lesson = {"slug": w.course.slug}, {"slug": w.course.slug, "lesson_slug": "intro"}
    on_question, on_answer = {**course, "pk": question.pk}, {**course, "pk": answer.pk}
    return {
        "learning:qa_unsubscribe": {"token": unsubscribe_token(w.learner)},
        "learning:questions": course,
        "learning:my_notes": course,
        "learning:export_notes": course,
        "learning:ask_question": in_lesson,
        "learning:add_note": in_lesson,
        "learning:toggle_bookmark": in_lesson,
        "learning:edit_note": {**course, "pk": note.pk},
        "learning:delete_note": {**course, "pk": note.pk},
        **{
            f"learning:{name}": on_question
            for name in [
                "question",
                "answer_question",
                "edit_question",
                "delete_question",
                "upvote_question",
                "hide_question",
                "restore_question",
            ]
        },
        **{
            f"learning:{name}": on_answer
            for name in [
                "edit_answer",
                "delete_answer",
                "accept_answer",
                "upvote_answer",
                "hide_answer",
                "restore_answer",
            ]
        },
    }


def _certificate_code(w: World) -> str:
    enrollment = Enrollment.objects.get(user=w.learner, course=w.course)
    certificate, _ = Certificate.objects.get_or_create(
        enrollment=enrollment,
        defaults={"learner_name": "Alice", "course_title": "Pandas", "issued_at": timezone.now()},
    )
    return certificate.code


def valid_kwargs(w: World) -> dict[str, dict]:
    code = _certificate_code(w)
    return {
        **qa_kwargs(w),
        "learning:run_exercise": {"slug": w.course.slug, "lesson_slug": w.lesson.slug},
        "learning:certificate": {"slug": w.course.slug},
        "certificates:verify": {"code": code},
        "certificates:print": {"code": code},
        "certificates:pdf": {"code": code},
        "certificates:credential": {"code": code},
        "courses:category": {"slug": w.category.slug},
        "courses:detail": {"slug": w.course.slug},
        "learning:enroll": {"slug": w.free_course.slug},
        "learning:resume": {"slug": w.course.slug},
        "learning:announcements": {"slug": w.course.slug},
        "learning:lesson": {"slug": w.course.slug, "lesson_slug": w.video_lesson.slug},
        "learning:complete_lesson": {"slug": w.course.slug, "lesson_slug": w.lesson.slug},
        "learning:lesson_file": {"slug": w.course.slug, "lesson_slug": w.lesson.slug},
        "learning:quiz_start": {"slug": w.course.slug, "lesson_slug": "quiz"},
        "learning:quiz_attempt": {
            "slug": w.course.slug,
            "lesson_slug": "quiz",
            "attempt_id": QuizAttempt.objects.get().pk,
        },
        "learning:video_position": {"slug": w.course.slug, "lesson_slug": w.lesson.slug},
        "purchases:order_detail": {"number": w.order.number},
        "purchases:resume_order": {"number": w.order.number},
        "purchases:cancel_order": {"number": w.order.number},
        "purchases:checkout": {"slug": w.pending_order.course.slug},
        "purchases:cancel": {"slug": w.course.slug},
        "purchases:local_pay": {"session_id": w.pending_order.checkout_session_id},
        "purchases:invoice": {"number": w.order.number},
        "purchases:invoice_pdf": {"number": w.order.number},
        "purchases:credit_note": {"number": w.order.number, "note": w.credit_note.number},
        "purchases:credit_note_pdf": {"number": w.order.number, "note": w.credit_note.number},
        "ratings:rate": {"slug": w.course.slug},
        "ratings:list": {"slug": w.course.slug},
        "ratings:edit": {"pk": w.rating.pk},
        "ratings:delete": {"pk": w.rating.pk},
        "ratings:helpful": {"pk": w.other_rating.pk},
        "ratings:report": {"pk": w.other_rating.pk},
        "blog:tag": {"slug": w.tag.slug},
        "blog:unsubscribe": {"token": blog_services.unsubscribe_token(w.learner)},
        "blog:comment_edit": {"pk": w.comment.pk},
        "blog:comment_delete": {"pk": w.comment.pk},
        "blog:comment_remove": {"pk": w.other_comment.pk},
        "blog:comment_restore": {"pk": w.other_comment.pk},
        "blog:comment_like": {"pk": w.other_comment.pk},
        "blog:post": {"slug": w.post.slug},
        "blog:comment_create": {"slug": w.post.slug},
        "blog:post_like": {"slug": w.post.slug},
        "legal:page": {"kind": "terms"},
        "legal:version": {"kind": "terms", "version": 1},
        "account_confirm_email": {"key": EmailConfirmationHMAC(w.email_address).key},
        "account_reset_password_from_key": {
            "uidb36": user_pk_to_url_str(w.learner),
            "key": default_token_generator.make_token(w.learner),
        },
    }


MISSING = {
    "slug": "no-such-thing",
    "lesson_slug": "no-such-lesson",
    "pk": 2_147_483_647,
    "number": "DS-NOPE\x00",
    "note": "DS-CN-NOPE\x00",
    "session_id": "cs_test_\x00missing",
    "token": "not-a-token\x00",
    "key": "no-such-key",
    "uidb36": "zz",
    "kind": "no-such-kind",
    "version": 2_147_483_647,
    "attempt_id": 2_147_483_647,
    "code": "no-such-code\x00",
}
# Integer ids that overflow a bigint column must also be a 404.
HUGE_PK = 10**20


def admin_urls(w: World, role: str = "staff") -> list[tuple[str, str]]:
    """Changelist, add and change page of each of our models, plus the sales summary.

    Only staff get past the admin's login; the others get the index and one list (redirects).
    """
    if role != "staff":
        return [
            ("admin:index", reverse("admin:index")),
            ("admin:purchases_order_changelist", reverse("admin:purchases_order_changelist")),
        ]
    objects = {
        "accounts.user": w.learner,
        "courses.category": w.category,
        "courses.course": w.course,
        "courses.section": w.lesson.section,
        "courses.lesson": w.lesson,
        "learning.enrollment": Enrollment.objects.filter(user=w.learner).first(),
        "purchases.order": w.order,
        "purchases.invoice": w.invoice,
        "purchases.creditnote": w.credit_note,
        "ratings.rating": w.rating,
        "blog.tag": w.tag,
        "blog.post": w.post,
        "blog.comment": w.comment,
        "legal.legaldocument": LegalDocument.objects.get(kind="terms"),
        "legal.legalversion": LegalVersion.objects.get(document__kind="terms", number=1),
    }
    urls = [("admin:index", reverse("admin:index"))]
    urls.append(("admin:purchases_order_sales", reverse("admin:purchases_order_sales")))
    refund = reverse("admin:purchases_order_refund", args=[objects["purchases.order"].pk])
    urls.append(("admin:purchases_order_refund", refund))
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in SWEPT_ADMIN_APPS:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append((f"{name}_changelist", reverse(f"{name}_changelist")))
        urls.append((f"{name}_add", reverse(f"{name}_add")))
        obj = objects.get(opts.label_lower)
        if obj is not None:
            urls.append((f"{name}_change", reverse(f"{name}_change", args=[obj.pk])))
        urls.append((f"{name}_change missing", reverse(f"{name}_change", args=["no-such-id"])))
    return urls


def project_patterns() -> list[tuple[str | None, list[str]]]:
    """(name, argument names) of every URL outside the admin, named as reverse() wants."""
    found = []

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append((name, list(pattern.pattern.regex.groupindex)))

    walk(get_resolver(), None)
    return found


def swept_urls(w: World, *, missing: bool = False) -> list[tuple[str, str]]:
    """(label, path) for every project URL, with real or missing objects in its arguments."""
    kwargs = valid_kwargs(w)
    urls = []
    for name, args in project_patterns():
        if name in NOT_SWEPT:
            continue
        if not args:
            if not missing:
                urls.append((name, reverse(name)))
            continue
        if missing:
            values = {arg: MISSING[arg] for arg in args}
            urls.append((f"{name} missing", reverse(name, kwargs=values)))
            if "pk" in args:
                urls.append((f"{name} huge", reverse(name, kwargs={**values, "pk": HUGE_PK})))
        else:
            urls.append((name, reverse(name, kwargs=kwargs[name])))
    return urls


# --- Requests ------------------------------------------------------------------------------


class Sweeper:
    """Sends requests as one kind of visitor and collects every answer of 500 or worse."""

    def __init__(self, role: str, world: World, **client_options):
        self.client = Client(**client_options)
        self.user = {"anonymous": None, "learner": world.learner, "staff": world.staff}[role]
        self.failures: list[str] = []
        self._session_key = None

    def send(self, method: str, path: str, label: str = "", **kwargs):
        self._log_in()
        response = None
        started = time.monotonic()
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(path, **kwargs)
                transaction.set_rollback(True)
        except Exception as exc:
            self.failures.append(f"{method.upper()} {label or path}: {type(exc).__name__}: {exc}")
            return None
        if os.environ.get("SWEEP_SLOW") and time.monotonic() - started > 0.3:
            print(f"SLOW {time.monotonic() - started:.2f}s {method.upper()} {label or path}")
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {label or path}: {response.status_code}")
        return response

    def _log_in(self) -> None:
        """Log in again only when a request ended or rotated the session (logout, password)."""
        if self.user is None:
            return
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie is None or cookie.value != self._session_key:
            self.client.force_login(self.user)
            self._session_key = self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def report(self) -> str:
        return "\n".join(self.failures)


@pytest.fixture
def sweeper(world):
    def make(role: str, **client_options) -> Sweeper:
        return Sweeper(role, world, **client_options)

    return make


def test_every_url_pattern_is_swept(world):
    """A new URL with arguments needs real values above, or the sweep would skip it."""
    kwargs = valid_kwargs(world)
    unswept = [
        name
        for name, args in project_patterns()
        if name not in NOT_SWEPT and args and name not in kwargs
    ]
    assert unswept == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_without_a_server_error(sweeper, world, role):
    sweep = sweeper(role)
    for label, path in [*swept_urls(world), *admin_urls(world)]:
        sweep.send("get", path, label)
    assert not sweep.failures, sweep.report()


# Pages that answer a bad emailed link with a page explaining it (allauth's).
EXPLAINS_A_BAD_LINK = {"account_confirm_email", "account_reset_password_from_key"}


def name_of(label: str) -> str:
    return label.split(" ")[0]


@pytest.mark.parametrize("role", ROLES)
def test_missing_objects_are_not_found_never_a_server_error(sweeper, world, role):
    sweep = sweeper(role)
    for label, path in swept_urls(world, missing=True):
        for method in ("get", "post"):
            response = sweep.send(method, path, label)
            shown = response is not None and response.status_code == 200
            if shown and name_of(label) not in EXPLAINS_A_BAD_LINK:
                sweep.failures.append(f"{method.upper()} {label}: 200 for a missing object")
    assert not sweep.failures, sweep.report()


# Hostile query strings; each is sent to every page. Raw strings go on the URL as they are.
HOSTILE_QUERIES = {
    "negative page, path sort, rtl and emoji": [
        ("page", "-1"),
        ("sort", "../../etc/passwd"),
        ("q", "\u202eنمط 🐍\u200f\ufeff"),
        ("language", "🐍"),
    ],
    "text page, array params": [
        ("page", "abc"),
        ("min_rating", "NaN"),
        ("level[]", "x"),
        ("q[]", "x"),
        ("category[]", "y"),
    ],
    "huge numbers, open redirect": [
        ("page", str(10**20)),
        ("min_rating", "inf"),
        ("next", "https://evil.example/"),
        ("session_id", "x" * 5000),
    ],
    "overflowing numbers, repeated params": [
        ("page", "1e309"),
        ("min_rating", "1e309"),
        ("q", "a"),
        ("q", "b"),
        ("sort", "newest"),
        ("sort", "bogus"),
        ("category", "data"),
        ("category", "nope"),
    ],
    "nul bytes": [
        ("q", "py\x00thon"),
        ("page", "1\x00"),
        ("sort", "\x00"),
        ("session_id", "cs_\x00"),
        ("next", "/\x00"),
    ],
    "very long search": [("q", "data " * 2000)],
    "invalid utf-8": "q=%FF%FE%00&page=%C0%AF&sort=%E2%80",
}
# The admin's own parameters, for its lists.
ADMIN_QUERIES = {
    "admin lookups": [("o", "abc.-9"), ("p", "-3"), ("e", "1"), ("id__gt", "abc"), ("all", "")],
    "admin initial values": [("category", "nope"), ("course", "\x00"), ("user", "1e309")],
}


def queries_for(label: str) -> dict:
    """Admin lists take every hostile query and the admin's own; add and change pages read
    only initial values from theirs."""
    if not label.startswith("admin:"):
        return HOSTILE_QUERIES
    if label.endswith(("_add", "_change", "missing")):
        return {"admin initial values": ADMIN_QUERIES["admin initial values"]}
    return {**HOSTILE_QUERIES, **ADMIN_QUERIES}


def with_query(path: str, query) -> str:
    encoded = query if isinstance(query, str) else urlencode(query)
    return f"{path}?{encoded}"


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_strings_never_cause_a_server_error(sweeper, world, role):
    sweep = sweeper(role)
    for label, path in [*swept_urls(world), *admin_urls(world, role)]:
        for name, query in queries_for(label).items():
            sweep.send("get", with_query(path, query), f"{label} ({name})")
    assert not sweep.failures, sweep.report()


# Every field any of our forms (or allauth's) reads, so each payload reaches real validation.
FIELDS = [
    "body",
    "parent",
    "stars",
    "title",
    "password",
    "password1",
    "password2",
    "oldpassword",
    "email",
    "login",
    "remember",
    "display_name",
    "bio",
    "remove_avatar",
    "card_number",
    "expiry",
    "cvc",
    "name",
    "undo",
    "next",
    "action",
    "code",
    "reason",
    "q",
    "action_checkbox",
    "_selected_action",
    "index",
]


def payloads() -> dict[str, dict]:
    def every(value):
        return dict.fromkeys(FIELDS, value)

    return {
        "empty": {},
        "garbage": every("<script>alert(1)</script> ✓ ' OR 1=1 --"),
        "nul bytes": every("a\x00b"),
        "huge": every("x" * 20_000),
        "wrong types": {
            **every(["1", "2", "3"]),
            "stars": "5.5",
            "parent": "²",
            "remove_avatar": "maybe",
            "next": "//evil.example/",
        },
        "overflowing numbers, unicode digits": {
            **every("1e309"),
            "parent": str(10**30),
            "stars": "٣",
            "undo": "\uff11",
        },
        "not an image": {
            "avatar": SimpleUploadedFile("me.png", b"GIF89a not really", "image/png"),
            "display_name": "\u202eeman",
        },
    }


# Every add form, and the change forms with the most custom code.
ADMIN_FORMS_POSTED = ("_add", "course_change", "order_change", "rating_change", "post_change")


@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_posts_never_cause_a_server_error(sweeper, world, role):
    sweep = sweeper(role)
    urls = [u for u in swept_urls(world) if u[0] not in {"purchases:stripe_webhook"}]
    admin_forms = [u for u in admin_urls(world, role) if u[0].endswith(ADMIN_FORMS_POSTED)]
    for label, path in [*urls, *admin_forms]:
        for name, data in payloads().items():
            sweep.send("post", path, f"{label} ({name})", data=data)
        sweep.send(
            "post",
            path,
            f"{label} (broken multipart)",
            data=b"--BOUNDARY\r\nContent-Disposition: form-data; name=\x00\r\n\r\nx",
            content_type="multipart/form-data; boundary=BOUNDARY",
        )
        sweep.send("post", path, f"{label} (json)", data="{]", content_type="application/json")
    assert not sweep.failures, sweep.report()


@pytest.mark.parametrize("payload", ["", "{", '{"id": "evt_1", "type": null}', "\x00" * 10])
def test_unsigned_or_malformed_webhook_bodies_are_bad_requests(client, fake_stripe, payload):
    response = client.post(
        reverse("purchases:stripe_webhook"),
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": "t=1,v1=deadbeef"},
    )
    assert response.status_code == 400


# --- CSRF ----------------------------------------------------------------------------------

# Stripe signs its webhook; Google One Tap posts from Google's page and allauth checks its
# own double-submit cookie (g_csrf_token) instead. Q&A one-click unsubscribe (RFC 8058): mail
# clients post without a token; the signed token in the URL authorises the change.
CSRF_EXEMPT = {"purchases:stripe_webhook", "google_login_by_token", "learning:qa_unsubscribe"}


def test_only_the_stripe_webhook_is_exempt_from_csrf_checks():
    exempt = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif getattr(pattern.callback, "csrf_exempt", False):
                exempt.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    assert exempt == CSRF_EXEMPT


@pytest.mark.parametrize("role", ["anonymous", "learner"])
def test_a_post_without_its_csrf_token_is_refused(sweeper, world, role):
    sweep = sweeper(role, enforce_csrf_checks=True)
    for label, path in [*swept_urls(world), *admin_urls(world, role)]:
        if label in CSRF_EXEMPT:
            continue
        response = sweep.send("post", path, label, data={"body": "hello", "stars": "5"})
        if response is not None and response.status_code != 403:
            sweep.failures.append(f"POST {label}: {response.status_code}, not 403")
    assert not sweep.failures, sweep.report()


# --- What a rejected edit leaves behind ----------------------------------------------------


def test_a_rejected_profile_edit_keeps_the_saved_profile(client, learner):
    learner.bio = "Analyst"
    learner.save()
    client.force_login(learner)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "A\x00", "bio": "x" * 10_000}
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert (learner.display_name, learner.bio) == ("Alice", "Analyst")


def test_a_rejected_rating_edit_keeps_the_saved_rating(client, world):
    client.force_login(world.learner)
    response = client.post(
        reverse("ratings:edit", args=[world.rating.pk]), {"stars": "9", "body": "\x00"}
    )
    assert "Choose from 1 to 5 stars." in response.content.decode()
    world.rating.refresh_from_db()
    assert (world.rating.stars, world.rating.body) == (4, "Clear *and* short.")


def test_a_rejected_comment_edit_keeps_the_saved_comment(client, world):
    client.force_login(world.learner)
    response = client.post(reverse("blog:comment_edit", args=[world.comment.pk]), {"body": ""})
    assert response.status_code == 400
    world.comment.refresh_from_db()
    assert world.comment.body == "Mine"


# --- Fixed findings ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["google_login", "github_login", "github_callback"])
def test_a_social_login_without_keys_is_not_found(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 404


def test_an_order_number_with_a_nul_byte_is_not_found(client, world):
    client.force_login(world.learner)
    response = client.get(reverse("purchases:order_detail", args=[world.order.number + "\x00"]))
    assert response.status_code == 404


def test_a_checkout_return_with_a_nul_byte_is_not_found(client, world):
    client.force_login(world.learner)
    response = client.get(reverse("purchases:success"), {"session_id": "cs_\x00"})
    assert response.status_code == 404


def test_a_local_checkout_with_a_nul_byte_is_not_found(client, world, settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    client.force_login(world.learner)
    response = client.get(reverse("purchases:local_pay", args=["cs_test_local_\x00"]))
    assert response.status_code == 404


def test_admin_search_ignores_words_past_the_tenth(client, world):
    """A pasted paragraph cannot keep the database busy: only the first ten words count."""
    client.force_login(world.staff)
    words = ["alice@example.com"] * 10 + ["no-such-word"]
    response = client.get(reverse("admin:learning_enrollment_changelist"), {"q": " ".join(words)})
    assert response.context["cl"].result_count == 1


def test_an_admin_add_form_ignores_an_invalid_relation_in_its_link(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("admin:courses_course_add"), {"category": "nope"})
    assert response.status_code == 200


@pytest.mark.parametrize("next_url", ["a b", "a\x00b", "1e309", "https://evil.example/"])
def test_a_helpful_vote_with_a_bad_return_address_goes_back_to_the_reviews(client, world, next_url):
    client.force_login(world.learner)
    response = client.post(
        reverse("ratings:helpful", args=[world.other_rating.pk]), {"next": next_url}
    )
    assert response.url == reverse("ratings:list", args=[world.course.slug])


def test_a_reply_to_a_parent_id_in_superscript_digits_is_refused_politely(client, world):
    client.force_login(world.learner)
    response = client.post(
        reverse("blog:comment_create", args=[world.post.slug]), {"body": "Hi", "parent": "²"}
    )
    assert response.status_code == 302
    assert not world.post.comments.filter(body="Hi").exists()


def test_google_one_tap_without_its_double_submit_cookie_logs_nobody_in(client, db, settings):
    """The one CSRF-exempt login: allauth compares the g_csrf_token cookie and field instead."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "client.apps.googleusercontent.com", "secret": "s"}]}
    }
    response = client.post(reverse("google_login_by_token"), {"credential": "x.y.z"})
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
