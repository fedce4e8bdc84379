"""Every write on questions and answers: posting (rate limited), editing, deleting, accepting,
upvoting, staff moderation, and the Q&A email preference.

Each service checks learning.questions.selectors.may_take_part itself, so a learner whose
access ended (a refund) can no longer write even through an old form.
"""

import logging
from functools import partial

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from core.tasks import enqueue
from courses.models import Lesson
from learning.models import Answer, AnswerVote, Question, QuestionEmailSettings, QuestionVote
from learning.models.questions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from learning.questions import tasks
from learning.questions.selectors import may_take_part

logger = logging.getLogger(__name__)

POST_RATE_LIMIT = 5
POST_RATE_WINDOW_SECONDS = 600
RATE_LIMIT_MESSAGE = (
    "You are posting too quickly: at most 5 questions and answers in 10 minutes. "
    "Please wait a few minutes and try again."
)


def _check_part(user: User, question_or_lesson: Question | Lesson) -> None:
    if not may_take_part(user=user, course=question_or_lesson.course):
        raise PermissionDenied("You do not have access to this course.")


def _clean(text: str, *, what: str, max_length: int) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"Write a {what} before posting.")
    if len(text) > max_length:
        raise ValidationError(f"The {what} can be at most {max_length} characters long.")
    return text


def check_post_rate(user: User) -> None:
    """At most POST_RATE_LIMIT questions and answers per window per learner, counted in Redis.

    Staff are not limited: answering a backlog is their job.
    """
    if user.is_staff:
        return
    key = f"learning:qa-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=POST_RATE_WINDOW_SECONDS)
        count = cache.incr(key)
    except ValueError:
        # The key vanished (or Redis is down and errors are ignored): do not block posting.
        logger.warning("Q&A rate limit unavailable for user %s", user.pk)
        return
    if count is not None and count > POST_RATE_LIMIT:
        raise ValidationError(RATE_LIMIT_MESSAGE)


# --- Posting ------------------------------------------------------------------------------


@transaction.atomic
def ask_question(*, author: User, lesson: Lesson, title: str, body: str) -> Question:
    _check_part(author, lesson)
    title = _clean(title, what="title", max_length=TITLE_MAX_LENGTH)
    body = _clean(body, what="question", max_length=BODY_MAX_LENGTH)
    check_post_rate(author)
    question = Question.objects.create(author=author, lesson=lesson, title=title, body=body)
    transaction.on_commit(partial(enqueue, tasks.notify_staff_of_question, question.pk))
    return question


@transaction.atomic
def answer_question(*, author: User, question: Question, body: str) -> Answer:
    _check_part(author, question)
    if question.is_hidden:
        raise ValidationError("This question is hidden and cannot be answered.")
    body = _clean(body, what="answer", max_length=BODY_MAX_LENGTH)
    check_post_rate(author)
    answer = Answer.objects.create(
        author=author, question=question, body=body, by_staff=author.is_staff
    )
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    transaction.on_commit(partial(enqueue, tasks.notify_asker_of_answer, answer.pk))
    return answer


def _check_own(post: Question | Answer, user: User) -> None:
    if post.author_id != user.pk:
        raise PermissionDenied("You can only change your own posts.")
    if post.is_hidden:
        raise ValidationError("A hidden post cannot be changed.")


@transaction.atomic
def edit_question(*, question: Question, user: User, title: str, body: str) -> Question:
    _check_part(user, question)
    _check_own(question, user)
    question.title = _clean(title, what="title", max_length=TITLE_MAX_LENGTH)
    question.body = _clean(body, what="question", max_length=BODY_MAX_LENGTH)
    question.edited_at = timezone.now()
    question.save(update_fields=["title", "body", "edited_at"])
    return question


@transaction.atomic
def edit_answer(*, answer: Answer, user: User, body: str) -> Answer:
    _check_part(user, answer.question)
    _check_own(answer, user)
    answer.body = _clean(body, what="answer", max_length=BODY_MAX_LENGTH)
    answer.edited_at = timezone.now()
    answer.save(update_fields=["body", "edited_at"])
    return answer


@transaction.atomic
def delete_question(*, question: Question, user: User) -> None:
    """The asker deletes the question, and its answers with it."""
    _check_part(user, question)
    _check_own(question, user)
    question.delete()


@transaction.atomic
def delete_answer(*, answer: Answer, user: User) -> None:
    _check_part(user, answer.question)
    _check_own(answer, user)
    question_id = answer.question_id
    answer.delete()  # an accepted answer leaves the question unaccepted (SET_NULL)
    _change_answer_count(question_id, -1)


def _change_answer_count(question_id: int, by: int) -> None:
    Question.objects.filter(pk=question_id).update(answer_count=Greatest(F("answer_count") + by, 0))


@transaction.atomic
def accept_answer(*, answer: Answer, user: User) -> Question:
    """The asker marks the answer that helped; accepting it again takes the mark away."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    _check_part(user, question)
    if question.author_id != user.pk:
        raise PermissionDenied("Only the person who asked can accept an answer.")
    if answer.is_hidden:
        raise ValidationError("A hidden answer cannot be accepted.")
    question.accepted_answer = None if question.accepted_answer_id == answer.pk else answer
    question.save(update_fields=["accepted_answer"])
    return question


# --- Upvotes ------------------------------------------------------------------------------


@transaction.atomic
def toggle_question_upvote(*, user: User, question: Question) -> tuple[bool, int]:
    """Upvote, or take the upvote back when already given; returns (upvoted, new count)."""
    _check_part(user, question)
    return _toggle_vote(QuestionVote, question, user=user, question=question)


@transaction.atomic
def toggle_answer_upvote(*, user: User, answer: Answer) -> tuple[bool, int]:
    _check_part(user, answer.question)
    return _toggle_vote(AnswerVote, answer, user=user, answer=answer)


def _toggle_vote(vote_model, target: Question | Answer, **lookup) -> tuple[bool, int]:
    if target.is_hidden:
        raise ValidationError("A hidden post cannot be upvoted.")
    if target.author_id == lookup["user"].pk:
        raise ValidationError("You cannot upvote your own post.")
    deleted, _ = vote_model.objects.filter(**lookup).delete()
    if deleted:
        delta, upvoted = -1, False
    else:
        # get_or_create with the unique constraint: two clicks at once still count once.
        _, upvoted = vote_model.objects.get_or_create(**lookup)
        delta = 1 if upvoted else 0
    model = type(target)
    if delta:
        model.objects.filter(pk=target.pk).update(
            upvote_count=Greatest(F("upvote_count") + delta, 0)
        )
    target.upvote_count = model.objects.values_list("upvote_count", flat=True).get(pk=target.pk)
    return upvoted, target.upvote_count


# --- Moderation ---------------------------------------------------------------------------


@transaction.atomic
def hide_post(*, post: Question | Answer, by: User, reason: str) -> Question | Answer:
    """Staff moderation: the post disappears for learners; staff still see it with the reason."""
    if not by.is_staff:
        raise PermissionDenied("Only staff can hide posts.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for hiding this post.")
    if post.is_hidden:
        return post
    post.is_hidden = True
    post.hidden_reason = reason[:300]
    post.hidden_by = by
    post.hidden_at = timezone.now()
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    if isinstance(post, Answer):
        _change_answer_count(post.question_id, -1)
    return post


@transaction.atomic
def restore_post(*, post: Question | Answer, by: User) -> Question | Answer:
    if not by.is_staff:
        raise PermissionDenied("Only staff can restore posts.")
    if not post.is_hidden:
        return post
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_by = None
    post.hidden_at = None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    if isinstance(post, Answer):
        _change_answer_count(post.question_id, 1)
    return post


# --- Email preference ---------------------------------------------------------------------


@transaction.atomic
def set_qa_emails(*, user: User, enabled: bool) -> QuestionEmailSettings:
    prefs, _ = QuestionEmailSettings.objects.update_or_create(
        user=user, defaults={"enabled": enabled}
    )
    return prefs
