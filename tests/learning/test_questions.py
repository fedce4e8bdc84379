"""Questions and answers: who may read, post, accept, vote, edit, delete and moderate."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from learning.models import Answer, Question
from learning.questions import services
from learning.services import revoke_enrollment
from tests.factories import UserFactory
from tests.learning.qa_helpers import ask, qa_course, question_url, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(learner, other_learner):
    course, lesson = qa_course(learner, other_learner)
    return course, lesson


# Reading


def test_enrolled_learner_sees_questions_on_the_lesson_page(client, setup, learner, other_learner):
    course, lesson = setup
    ask(other_learner, lesson, title="Why LEFT JOIN?")
    client.force_login(learner)
    html = client.get(reverse("learning:lesson", args=[course.slug, lesson.slug])).content.decode()
    assert "Why LEFT JOIN?" in html
    assert 'id="id_question_title"' in html


def test_enrolled_learner_reads_a_question_and_its_answers(client, setup, learner, other_learner):
    _course, lesson = setup
    question = ask(learner, lesson)
    services.answer_question(author=other_learner, question=question, body="Use *ON*.")
    client.force_login(learner)
    html = client.get(question_url(question)).content.decode()
    assert "<strong>stuck</strong>" in html
    assert "<em>ON</em>" in html


def test_anonymous_visitor_is_sent_to_login(client, setup, learner):
    question = ask(learner, setup[1])
    response = client.get(question_url(question))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize("page", ["questions", "question"])
def test_learner_without_enrolment_gets_404(client, setup, learner, page):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(UserFactory())
    args = [question.pk] if page == "question" else []
    assert client.get(url(page, course, *args)).status_code == 404


def test_refunded_learner_can_no_longer_read_or_post(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(other_learner, lesson)
    revoke_enrollment(user=learner, course=course, reason="Refunded")
    client.force_login(learner)
    assert client.get(question_url(question)).status_code == 404
    post = client.post(url("answer_question", course, question.pk), {"body": "Hi"})
    assert post.status_code == 404
    with pytest.raises(PermissionDenied):
        services.answer_question(author=learner, question=question, body="Hi")
    assert not Answer.objects.exists()


def test_staff_read_and_answer_without_enrolment(client, setup, learner, staff):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(staff)
    assert client.get(question_url(question)).status_code == 200
    client.post(url("answer_question", course, question.pk), {"body": "Staff here."})
    answer = Answer.objects.get()
    assert answer.by_staff
    assert "Staff" in client.get(question_url(question)).content.decode()


def test_question_in_a_draft_course_is_404_for_learners(client, setup, learner):
    course, lesson = setup
    question = ask(learner, lesson)
    course.status = "draft"
    course.save()
    client.force_login(learner)
    assert client.get(question_url(question)).status_code == 404


# Posting


def test_learner_asks_a_question_under_a_lesson(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    response = client.post(
        url("ask_question", course, lesson.slug), {"title": "What is NULL?", "body": "Hmm"}
    )
    question = Question.objects.get()
    assert response.url == question_url(question)
    assert (question.author, question.lesson, question.course) == (learner, lesson, course)


def test_empty_question_gets_a_form_error(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    response = client.post(url("ask_question", course, lesson.slug), {"title": "", "body": ""})
    assert response.status_code == 400
    assert "Give your question a title." in response.content.decode()
    assert not Question.objects.exists()


def test_markdown_is_sanitised(client, setup, learner):
    question = ask(learner, setup[1], body="<script>alert(1)</script>[x](javascript:alert(1))")
    client.force_login(learner)
    html = client.get(question_url(question)).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_sixth_post_in_ten_minutes_is_refused_with_a_message(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    for n in range(5):
        ask(learner, lesson, title=f"Question {n}")
    response = client.post(url("ask_question", course, lesson.slug), {"title": "6", "body": "6"})
    assert response.status_code == 400
    assert "at most 5 questions and answers in 10 minutes" in response.content.decode()
    assert Question.objects.count() == 5


def test_answers_count_towards_the_same_rate_limit(setup, learner, other_learner):
    question = ask(other_learner, setup[1])
    for _ in range(5):
        services.answer_question(author=learner, question=question, body="More")
    with pytest.raises(ValidationError, match="too quickly"):
        services.answer_question(author=learner, question=question, body="More")


def test_staff_are_not_rate_limited(setup, learner, staff):
    question = ask(learner, setup[1])
    for _ in range(7):
        services.answer_question(author=staff, question=question, body="Answer")
    assert Answer.objects.count() == 7


# Accepting


def test_asker_accepts_an_answer(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(learner, lesson)
    answer = services.answer_question(author=other_learner, question=question, body="This")
    client.force_login(learner)
    client.post(url("accept_answer", course, answer.pk))
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert "Accepted answer" in client.get(question_url(question)).content.decode()


def test_accepting_again_takes_the_mark_away(setup, learner, other_learner):
    question = ask(learner, setup[1])
    answer = services.answer_question(author=other_learner, question=question, body="This")
    services.accept_answer(answer=answer, user=learner)
    assert services.accept_answer(answer=answer, user=learner).accepted_answer is None


def test_only_the_asker_may_accept(client, setup, learner, other_learner, staff):
    course, lesson = setup
    question = ask(learner, lesson)
    answer = services.answer_question(author=staff, question=question, body="This")
    client.force_login(other_learner)
    assert client.post(url("accept_answer", course, answer.pk)).status_code == 404
    question.refresh_from_db()
    assert question.accepted_answer is None


# Upvotes


def test_a_learner_upvotes_a_question_once(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(other_learner, lesson)
    assert services.toggle_question_upvote(user=learner, question=question) == (True, 1)
    assert services.toggle_question_upvote(user=learner, question=question) == (False, 0)
    client.force_login(learner)
    client.post(url("upvote_question", course, question.pk))
    client.post(url("upvote_question", course, question.pk))
    client.post(url("upvote_question", course, question.pk))
    question.refresh_from_db()
    assert question.upvote_count == 1


def test_upvoting_an_answer_counts_each_learner_once(setup, learner, other_learner, staff):
    question = ask(learner, setup[1])
    answer = services.answer_question(author=staff, question=question, body="A")
    services.toggle_answer_upvote(user=learner, answer=answer)
    assert services.toggle_answer_upvote(user=other_learner, answer=answer) == (True, 2)


def test_nobody_upvotes_their_own_post(setup, learner):
    question = ask(learner, setup[1])
    with pytest.raises(ValidationError):
        services.toggle_question_upvote(user=learner, question=question)


# Edit and delete


def test_author_edits_own_question(client, setup, learner):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(learner)
    client.post(url("edit_question", course, question.pk), {"title": "Better", "body": "Now"})
    question.refresh_from_db()
    assert (question.title, question.body) == ("Better", "Now")
    assert question.edited_at is not None


def test_another_learner_cannot_edit_or_delete(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(learner, lesson)
    answer = services.answer_question(author=learner, question=question, body="Mine")
    client.force_login(other_learner)
    assert client.get(url("edit_question", course, question.pk)).status_code == 404
    data = {"title": "Hacked", "body": "Hacked"}
    assert client.post(url("edit_question", course, question.pk), data).status_code == 404
    assert client.post(url("edit_answer", course, answer.pk), data).status_code == 404
    assert client.post(url("delete_question", course, question.pk)).status_code == 404
    assert client.post(url("delete_answer", course, answer.pk)).status_code == 404
    question.refresh_from_db()
    assert question.title == "How do joins work?"
    assert Answer.objects.exists()


def test_author_deletes_own_answer_and_the_count_follows(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(other_learner, lesson)
    answer = services.answer_question(author=learner, question=question, body="Mine")
    client.force_login(learner)
    client.post(url("delete_answer", course, answer.pk))
    question.refresh_from_db()
    assert question.answer_count == 0
    assert not Answer.objects.exists()


def test_author_deletes_own_question_with_its_answers(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(learner, lesson)
    services.answer_question(author=other_learner, question=question, body="Hi")
    client.force_login(learner)
    response = client.post(url("delete_question", course, question.pk))
    assert response.url == url("questions", course)
    assert not Question.objects.exists()
    assert not Answer.objects.exists()


# Moderation


def test_staff_hide_a_question_with_a_reason(client, setup, learner, other_learner, staff):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(staff)
    client.post(url("hide_question", course, question.pk), {"reason": "Spam"})
    question.refresh_from_db()
    assert question.is_hidden and question.hidden_reason == "Spam"
    assert "Hidden by staff: Spam" in client.get(question_url(question)).content.decode()
    client.force_login(other_learner)
    assert client.get(question_url(question)).status_code == 404
    assert "How do joins work?" not in client.get(url("questions", course)).content.decode()


def test_hidden_question_disappears_even_for_its_author(client, setup, learner, staff):
    question = ask(learner, setup[1])
    services.hide_post(post=question, by=staff, reason="Off topic")
    client.force_login(learner)
    assert client.get(question_url(question)).status_code == 404


def test_hidden_answer_is_not_shown_and_not_counted(client, setup, learner, other_learner, staff):
    question = ask(learner, setup[1])
    answer = services.answer_question(author=other_learner, question=question, body="Rude text")
    services.hide_post(post=answer, by=staff, reason="Rude")
    question.refresh_from_db()
    assert question.answer_count == 0
    client.force_login(learner)
    assert "Rude text" not in client.get(question_url(question)).content.decode()
    services.restore_post(post=answer, by=staff)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert "Rude text" in client.get(question_url(question)).content.decode()


def test_hiding_needs_a_reason(client, setup, learner, staff):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(staff)
    client.post(url("hide_question", course, question.pk), {"reason": ""})
    question.refresh_from_db()
    assert not question.is_hidden


def test_learners_cannot_moderate(client, setup, learner, other_learner):
    course, lesson = setup
    question = ask(learner, lesson)
    client.force_login(other_learner)
    response = client.post(url("hide_question", course, question.pk), {"reason": "Mine now"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.hide_post(post=question, by=other_learner, reason="x")
    question.refresh_from_db()
    assert not question.is_hidden


def test_staff_restore_a_hidden_question(client, setup, learner, staff):
    course, lesson = setup
    question = ask(learner, lesson)
    services.hide_post(post=question, by=staff, reason="Check")
    client.force_login(staff)
    client.post(url("restore_question", course, question.pk))
    question.refresh_from_db()
    assert not question.is_hidden and question.hidden_reason == ""


# Emails


def test_asker_gets_an_email_with_one_click_unsubscribe(
    django_capture_on_commit_callbacks, setup, learner, other_learner
):
    question = ask(learner, setup[1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_question(author=other_learner, question=question, body="Try this")
    [message] = mail.outbox
    assert message.to == [learner.email]
    assert "answered your question" in message.subject
    assert "Try this" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    assert unsubscribe in message.alternatives[0][0]


def test_staff_get_an_email_about_a_new_question(
    django_capture_on_commit_callbacks, setup, learner, staff
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(learner, setup[1], title="Where is the dataset?")
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert "Where is the dataset?" in message.subject


def test_answering_your_own_question_sends_no_email(
    django_capture_on_commit_callbacks, setup, learner
):
    question = ask(learner, setup[1])
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_question(author=learner, question=question, body="Solved it")
    assert mail.outbox == []


def test_one_click_unsubscribe_stops_answer_emails(
    client, django_capture_on_commit_callbacks, setup, learner, other_learner
):
    question = ask(learner, setup[1])
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_question(author=other_learner, question=question, body="One")
    unsubscribe = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    # What a mail client sends (RFC 8058): no session, no CSRF token.
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_question(author=other_learner, question=question, body="Two")
    assert mail.outbox == []


def test_tampered_unsubscribe_link_is_refused(client):
    response = client.get(reverse("learning:qa_unsubscribe", args=["nonsense:abc"]))
    assert response.status_code == 400


def test_a_deleted_answer_sends_nothing(setup, learner, other_learner):
    from learning.questions.tasks import notify_asker_of_answer

    question = ask(learner, setup[1])
    answer = services.answer_question(author=other_learner, question=question, body="x")
    answer_id = answer.pk
    answer.delete()
    mail.outbox.clear()
    notify_asker_of_answer(answer_id)
    assert mail.outbox == []
