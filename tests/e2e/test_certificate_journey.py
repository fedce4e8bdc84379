"""A learner solves the course's SQL exercise, finishes the course and opens her certificate."""

import re

from django.core import mail
from playwright.sync_api import expect

from learning.models import Certificate
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, EnrollmentFactory, UserFactory
from tests.learning.exercise_fixtures import CORRECT, WRONG, exercise_fixture  # noqa: F401


def test_learner_solves_the_exercise_and_opens_her_certificate(page, base_url, shoot, exercise):
    course = exercise.lesson.course
    learner = UserFactory(email="ada@example.com", display_name="Ada Lovelace")
    EnrollmentFactory(user=learner, course=course)
    login(page, base_url, learner.email, DEFAULT_PASSWORD)

    # She reads the first lesson and marks it done; the exercise opens next.
    page.goto(f"{base_url}/courses/{course.slug}/lessons/intro/")
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_role("button", name="Mark as not complete")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Next:")).click()
    expect(page).to_have_url(re.compile(r"/lessons/totals/$"))
    expect(page.get_by_role("heading", name="Your task")).to_be_visible()

    # A wrong answer shows the first difference; the right one completes the lesson.
    editor = page.get_by_label("Your SQL query")
    editor.fill(WRONG)
    page.get_by_role("button", name="Run and check").click()
    expect(page.get_by_text("A row is missing from your result")).to_be_visible()
    editor = page.get_by_label("Your SQL query")
    editor.fill(CORRECT)
    page.get_by_role("button", name="Run and check").click()
    expect(page.get_by_text("The lesson is complete.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("ada")
    shoot("sql-exercise-solved")

    # The course is finished: the certificate is issued and emailed.
    certificate = Certificate.objects.get(enrollment__user=learner)
    assert certificate.is_valid
    assert any(certificate.get_absolute_url() in message.body for message in mail.outbox)

    # From My learning she opens it: the verification page says it is valid.
    page.goto(f"{base_url}/courses/my-learning/")
    page.get_by_role("link", name="Certificate").click()
    expect(page).to_have_url(re.compile(rf"/certificates/{re.escape(certificate.code)}/$"))
    expect(page.get_by_text("Valid.")).to_be_visible()
    expect(page.locator("main dd").first).to_have_text("Ada Lovelace")
    expect(page.get_by_role("link", name=re.compile("Add to LinkedIn profile"))).to_be_visible()
    shoot("certificate-verification")

    page.get_by_role("link", name="Printable certificate").click()
    expect(page.get_by_role("heading", name="Certificate of completion")).to_be_visible()
    shoot("certificate-printable")
