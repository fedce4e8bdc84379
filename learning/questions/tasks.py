"""Q&A emails, rendered and queued in a worker from ids: the asker hears of a new answer,
staff of a new question. Each checks again that the post is still there and visible."""

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from core.emails import send_templated_email
from learning.models import Answer, Question, QuestionEmailSettings
from learning.questions.selectors import may_take_part

UNSUBSCRIBE_SALT = "learning.qa.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User:
    """The user a token was made for; raises signing.BadSignature (or User.DoesNotExist)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Malformed token")
    return User.objects.get(pk=data["u"])


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL + reverse("learning:qa_unsubscribe", args=[unsubscribe_token(user)])


def wants_qa_emails(user: User) -> bool:
    return (
        user.is_active
        and not QuestionEmailSettings.objects.filter(user=user, enabled=False).exists()
    )


def _send(*, recipient: User, template: str, context: dict) -> None:
    unsubscribe = unsubscribe_url(recipient)
    send_templated_email(
        to=[recipient.email],
        template=template,
        context={
            **context,
            "recipient": recipient,
            "unsubscribe_url": unsubscribe,
            "site_url": settings.SITE_URL,
        },
        # Mail clients show their own "Unsubscribe" button; the POST form unsubscribes in one
        # click without opening the page (RFC 2369, RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@shared_task
def notify_asker_of_answer(answer_id: int) -> None:
    answer = (
        Answer.objects.select_related("author", "question__author", "question__course")
        .filter(pk=answer_id, is_hidden=False, question__is_hidden=False)
        .first()
    )
    if answer is None:
        return
    question = answer.question
    asker = question.author
    if asker is None or asker.pk == answer.author_id or not wants_qa_emails(asker):
        return
    if not may_take_part(user=asker, course=question.course):
        return
    _send(
        recipient=asker,
        template="answer_posted",
        context={
            "answerer_name": answer.author_name,
            "by_staff": answer.by_staff,
            "question_title": question.title,
            "course_title": question.course.title,
            "body": answer.body,
            "answer_url": f"{settings.SITE_URL}{question.get_absolute_url()}#{answer.anchor}",
        },
    )


@shared_task
def notify_staff_of_question(question_id: int) -> None:
    question = (
        Question.objects.select_related("author", "course", "lesson")
        .filter(pk=question_id, is_hidden=False)
        .first()
    )
    if question is None:
        return
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(pk=question.author_id)
    staff = staff.exclude(qa_email_settings__enabled=False).order_by("pk")
    for member in staff:
        _send(
            recipient=member,
            template="question_posted",
            context={
                "asker_name": question.author_name,
                "question_title": question.title,
                "course_title": question.course.title,
                "lesson_title": question.lesson.title,
                "body": question.body,
                "question_url": settings.SITE_URL + question.get_absolute_url(),
            },
        )
