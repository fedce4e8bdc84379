"""Certificates: issued once when a course is complete, public verification, PDF, signed
credential, name choice, revocation with the enrolment."""

import copy
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from learning import credentials
from learning.certificates.services import issue_certificate
from learning.models import Certificate
from learning.services import complete_lesson, enroll, mark_lesson_done, revoke_enrollment
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, SectionFactory


@pytest.fixture
def course(db):
    course = CourseFactory(title="Pandas in practice", slug="pandas")
    section = SectionFactory(course=course)
    LessonFactory(section=section, slug="one", position=0)
    LessonFactory(section=section, slug="two", position=1)
    return course


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


def finish(enrollment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in enrollment.course.lessons.all():
            mark_lesson_done(enrollment=enrollment, lesson=lesson)
    return Certificate.objects.get(enrollment=enrollment)


def test_finishing_the_course_issues_one_certificate_and_emails_it(
    enrollment, django_capture_on_commit_callbacks
):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    assert certificate.is_valid
    assert certificate.learner_name == "Alice"
    assert certificate.course_title == "Pandas in practice"
    assert len(certificate.code) >= 20
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert certificate.code in mail.outbox[0].body
    # Completing again (a retried task, a second tab) issues nothing more.
    issue_certificate(enrollment_id=enrollment.pk)
    assert Certificate.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_unfinished_course_issues_no_certificate(enrollment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mark_lesson_done(enrollment=enrollment, lesson=enrollment.course.lessons.first())
    assert not Certificate.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_issue_exactly_one_certificate(learner):
    course = CourseFactory()
    lesson = LessonFactory(section=SectionFactory(course=course))
    enrollment = EnrollmentFactory(user=learner, course=course)
    complete_lesson(enrollment=enrollment, lesson=lesson)
    barrier = threading.Barrier(6)
    errors = []

    def issue():
        try:
            barrier.wait()
            issue_certificate(enrollment_id=enrollment.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert len(mail.outbox) == 1


def test_the_verification_page_says_valid(client, enrollment, django_capture_on_commit_callbacks):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid." in body
    assert "Alice" in body and "Pandas in practice" in body
    assert "<svg" in body  # the QR code, inline


def test_a_refund_revokes_the_certificate_and_re_enrolment_restores_it(
    client, enrollment, learner, course, django_capture_on_commit_callbacks
):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    url = reverse("certificates:verify", args=[certificate.code])
    revoke_enrollment(user=learner, course=course, reason="refund")
    body = client.get(url).content.decode()
    assert "Revoked." in body
    assert "Valid." not in body
    enroll(user=learner, course=course, source="purchase")
    assert "Valid." in client.get(url).content.decode()


def test_an_unknown_code_is_404(client, db):
    assert (
        client.get(reverse("certificates:verify", args=["no-such-code-at-all"])).status_code == 404
    )


def test_a_certificate_not_yet_issued_is_404(client, enrollment):
    pending = Certificate.objects.create(enrollment=enrollment, learner_name="A")
    assert client.get(reverse("certificates:verify", args=[pending.code])).status_code == 404


def test_the_pdf_is_a_pdf(client, enrollment, django_capture_on_commit_callbacks):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    response = client.get(reverse("certificates:pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_printable_page_shows_name_course_date_and_code(
    client, enrollment, django_capture_on_commit_callbacks
):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    body = client.get(reverse("certificates:print", args=[certificate.code])).content.decode()
    assert "Alice" in body and "Pandas in practice" in body and certificate.code in body
    assert certificate.issued_at.strftime("%Y") in body


def test_the_credential_verifies_with_the_published_key_and_a_tampered_one_does_not(
    client, enrollment, django_capture_on_commit_callbacks
):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    document = client.get(reverse("certificates:credential", args=[certificate.code])).json()
    did = client.get(reverse("certificates:issuer")).json()
    key = credentials.public_key_from_multibase(did["verificationMethod"][0]["publicKeyMultibase"])
    assert document["credentialSubject"]["name"] == "Alice"
    assert document["id"].endswith(certificate.get_absolute_url())
    assert credentials.verify_credential(document, public_key=key)
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["name"] = "Mallory"
    assert not credentials.verify_credential(tampered, public_key=key)


def test_the_owner_sees_the_linkedin_link_and_others_do_not(
    client, enrollment, other_learner, django_capture_on_commit_callbacks
):
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    url = reverse("certificates:verify", args=[certificate.code])
    client.force_login(enrollment.user)
    body = client.get(url).content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in body
    assert f"certId={certificate.code}" in body
    assert "organizationName=Data+School" in body
    client.force_login(other_learner)
    assert "linkedin.com" not in client.get(url).content.decode()


def test_the_learner_chooses_the_name_before_issue(
    client, enrollment, course, django_capture_on_commit_callbacks
):
    client.force_login(enrollment.user)
    url = reverse("learning:certificate", args=[course.slug])
    assert 'value="Alice"' in client.get(url).content.decode()
    response = client.post(url, {"learner_name": "  Alice   Liddell "})
    assert response.status_code == 302
    certificate = finish(enrollment, django_capture_on_commit_callbacks)
    assert certificate.learner_name == "Alice Liddell"
    # Once issued, the page leads to the certificate and the name is frozen.
    assert client.get(url)["Location"] == certificate.get_absolute_url()
    client.post(url, {"learner_name": "Someone Else"})
    certificate.refresh_from_db()
    assert certificate.learner_name == "Alice Liddell"


def test_only_the_owner_can_choose_the_name(client, enrollment, course, other_learner):
    client.force_login(other_learner)
    url = reverse("learning:certificate", args=[course.slug])
    assert client.post(url, {"learner_name": "Bob"}).status_code == 404
    assert client.get(url).status_code == 404
    assert not Certificate.objects.exists()
    client.logout()
    assert client.post(url, {"learner_name": "Bob"}).status_code == 302
    assert not Certificate.objects.exists()


def test_a_blank_name_is_a_form_error(client, enrollment, course):
    client.force_login(enrollment.user)
    url = reverse("learning:certificate", args=[course.slug])
    response = client.post(url, {"learner_name": "   "})
    assert response.status_code == 400
    assert not Certificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_passing_a_quiz_that_finishes_the_course_issues_the_certificate(learner):
    from learning.quizzes.services import start_attempt, submit_attempt
    from learning.services import mark_lesson_done
    from tests.learning.quiz_factories import add_choice, make_quiz, right_answers

    quiz = make_quiz()  # graded by default
    add_choice(quiz)
    course = quiz.lesson.course
    enrollment = EnrollmentFactory(user=learner, course=course)
    for slug in ("intro", "after"):
        mark_lesson_done(enrollment=enrollment, lesson=course.lessons.get(slug=slug))
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    attempt = start_attempt(quiz=quiz, enrollment=enrollment)
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    assert Certificate.objects.get(enrollment=enrollment).is_valid
