"""Writes on ratings: rate, delete, mark helpful, report, moderate, follow access changes.

Every change that can move a course's average locks the course row first (so concurrent
ratings of one course run one after another), recomputes the average and count over the
public ratings (Rating.objects.public(): not hidden, author still enrolled) with one
aggregate query, and stores them through courses.services in the same transaction.
"""

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, QuerySet
from django.utils import timezone

from accounts.models import User
from courses.caching import bump_catalog_version
from courses.models import Course
from courses.services import set_course_rating
from learning.models import Enrollment
from ratings.models import Rating, ReviewHelpful, ReviewReport
from ratings.selectors import can_rate

NOT_ENROLLED_MESSAGE = "Only learners enrolled in this course can rate it."
REVIEW_GONE_MESSAGE = "This review is no longer shown."
ALREADY_REPORTED_MESSAGE = "You have already reported this review: the moderators will look at it."
REPORT_RATE_LIMIT = 10
REPORT_RATE_WINDOW_SECONDS = 60 * 60
REPORT_RATE_MESSAGE = "You have sent many reports in the last hour. Please try again later."

logger = logging.getLogger(__name__)


def _lock_course(course_id: int) -> None:
    # Every writer takes this lock before reading the ratings, so the aggregate below always
    # sees the other transactions' committed changes and no update is lost.
    Course.objects.select_for_update().filter(pk=course_id).values_list("pk").get()


def _store_course_summary(course_id: int) -> None:
    summary = (
        Rating.objects.public()
        .filter(course_id=course_id)
        .aggregate(average=Avg("stars"), count=Count("id"))
    )
    count = summary["count"]
    average = Decimal(0)
    if count:
        average = Decimal(str(summary["average"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    set_course_rating(course_id=course_id, average=average, count=count)


@transaction.atomic
def refresh_course_rating(*, course: Course) -> None:
    """Recompute a course's stored average and count from its visible ratings.

    The services below do this on every change; this is for operators, after ratings were
    changed outside them (raw SQL, a partial restore).
    """
    _lock_course(course.pk)
    _store_course_summary(course.pk)


@transaction.atomic
def on_access_changed(*, user: User, course: Course) -> None:
    """A learner's access to the course ended or came back: recompute the course's average.

    Call it in the same transaction, after learning.services.revoke_enrollment or enroll, from
    the code that changes access (purchases on a refund, a lost dispute or a new payment;
    pages.services for the support commands). learning cannot call it: it must not import
    ratings. Whether a review is
    public is read from the enrollment (Rating.objects.public()), so the review list follows
    at once even without this call; the stored average needs it.
    """
    if not Rating.objects.filter(user=user, course=course).exists():
        return
    _lock_course(course.pk)
    _store_course_summary(course.pk)


@transaction.atomic
def forget_learner(*, user: User) -> None:
    """Before an account is deleted: remove its ratings and helpful votes, keeping summaries.

    Called by pages.services.delete_account, inside the deletion's transaction; without it
    the cascade would leave course averages and helpful counts stale.
    """
    course_ids = sorted(set(Rating.objects.filter(user=user).values_list("course_id", flat=True)))
    for course_id in course_ids:  # in id order, so two deletions never lock in opposite orders
        _lock_course(course_id)
    Rating.objects.filter(user=user).delete()
    for course_id in course_ids:
        _store_course_summary(course_id)
    voted = ReviewHelpful.objects.filter(user=user)
    Rating.objects.filter(pk__in=voted.values("rating_id"), helpful_count__gt=0).update(
        helpful_count=F("helpful_count") - 1
    )
    voted.delete()


def _check_body_length(rating: Rating) -> None:
    body_limit = Rating._meta.get_field("body").max_length
    if len(rating.body) > body_limit:
        # Django enforces a TextField's max_length only in forms.
        raise ValidationError({"body": f"Keep the review under {body_limit} characters."})


@transaction.atomic
def rate_course(
    *, user: User, course: Course, stars: int, title: str = "", body: str = ""
) -> Rating:
    """Create the learner's rating of the course, or update it if they rated it before."""
    if not can_rate(user=user, course=course):
        raise ValidationError(NOT_ENROLLED_MESSAGE)
    _lock_course(course.pk)
    rating = Rating.objects.select_for_update().filter(user=user, course=course).first()
    if rating is None:
        rating = Rating(user=user, course=course)
    rating.stars = stars
    rating.title = (title or "").strip()
    rating.body = (body or "").strip()
    rating.full_clean(
        exclude=["user", "course", "hidden_by"], validate_unique=False, validate_constraints=False
    )
    _check_body_length(rating)
    rating.save()
    _store_course_summary(course.pk)
    return rating


@dataclass(frozen=True)
class NewRating:
    user: User
    stars: int
    title: str = ""
    body: str = ""


@transaction.atomic
def rate_course_in_bulk(*, course: Course, ratings: list[NewRating]) -> list[Rating]:
    """Several learners' first ratings of one course at once (demo data, imports).

    The same rules as rate_course (enrolled learners only, valid stars and lengths), but one
    insert and one recomputation of the average for the whole list. A learner who already
    rated the course, or who appears twice, is refused: nothing is saved.
    """
    user_ids = [entry.user.pk for entry in ratings]
    if len(set(user_ids)) != len(user_ids):
        raise ValidationError("Each learner rates a course once.")
    _lock_course(course.pk)
    enrolled = set(
        Enrollment.objects.filter(
            course=course, user_id__in=user_ids, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    if enrolled != set(user_ids):
        raise ValidationError(NOT_ENROLLED_MESSAGE)
    if Rating.objects.filter(course=course, user_id__in=user_ids).exists():
        raise ValidationError("Some of these learners have already rated this course.")
    rows = []
    for entry in ratings:
        rating = Rating(
            user=entry.user,
            course=course,
            stars=entry.stars,
            title=(entry.title or "").strip(),
            body=(entry.body or "").strip(),
        )
        rating.full_clean(
            exclude=["user", "course", "hidden_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        _check_body_length(rating)
        rows.append(rating)
    created = Rating.objects.bulk_create(rows)
    _store_course_summary(course.pk)
    return created


@transaction.atomic
def delete_rating(*, user: User, rating: Rating) -> None:
    """The author removes their rating; the course's average and count follow."""
    if rating.user_id != user.pk:
        raise PermissionDenied("You can only delete your own rating.")
    _lock_course(rating.course_id)
    Rating.objects.filter(pk=rating.pk).delete()
    _store_course_summary(rating.course_id)


@transaction.atomic
def mark_helpful(*, user: User, rating: Rating) -> Rating:
    """Count the user's "helpful" vote once; returns the rating with its current count."""
    if rating.user_id == user.pk:
        raise ValidationError("You cannot mark your own review as helpful.")
    if not Rating.objects.public().filter(pk=rating.pk).exists():
        raise ValidationError(REVIEW_GONE_MESSAGE)
    _, created = ReviewHelpful.objects.get_or_create(user=user, rating=rating)
    if created:
        Rating.objects.filter(pk=rating.pk).update(helpful_count=F("helpful_count") + 1)
        # The anonymous course page is cached whole; its reviews show this count.
        transaction.on_commit(partial(bump_catalog_version, search=False))
    rating.refresh_from_db(fields=["helpful_count"])
    return rating


@transaction.atomic
def hide_review(*, rating: Rating, by: User, reason: str) -> Rating:
    """Moderation: the review leaves the page and the course's average, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for hiding the review.")
    _lock_course(rating.course_id)
    now = timezone.now()
    Rating.objects.filter(pk=rating.pk).update(
        is_hidden=True, hidden_reason=reason[:200], hidden_by=by, hidden_at=now
    )
    # Every open report of this review is answered by hiding it.
    ReviewReport.objects.filter(rating=rating, status=ReviewReport.Status.OPEN).update(
        status=ReviewReport.Status.REVIEW_HIDDEN, resolved_by=by, resolved_at=now
    )
    _store_course_summary(rating.course_id)
    rating.refresh_from_db()
    return rating


@transaction.atomic
def unhide_review(*, rating: Rating) -> Rating:
    """Moderation: show a hidden review again and count it in the average."""
    _lock_course(rating.course_id)
    Rating.objects.filter(pk=rating.pk).update(
        is_hidden=False, hidden_reason="", hidden_by=None, hidden_at=None
    )
    _store_course_summary(rating.course_id)
    rating.refresh_from_db()
    return rating


def _check_report_rate(user: User) -> None:
    """At most REPORT_RATE_LIMIT reports per hour per learner, counted in Redis."""
    key = f"ratings:report-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=REPORT_RATE_WINDOW_SECONDS)
        count = cache.incr(key)
    except ValueError:
        # The key vanished (or Redis is down and errors are ignored): reporting still works.
        logger.warning("review report rate limit unavailable for user %s", user.pk)
        return
    if count is not None and count > REPORT_RATE_LIMIT:
        raise ValidationError(REPORT_RATE_MESSAGE)


def report_review(*, user: User, rating: Rating, reason: str, details: str = "") -> ReviewReport:
    """A learner reports someone else's public review to the moderators, once."""
    details = (details or "").strip()
    if rating.user_id == user.pk:
        raise ValidationError("You cannot report your own review.")
    if reason not in ReviewReport.Reason.values:
        raise ValidationError({"reason": "Choose why you are reporting this review."})
    if reason == ReviewReport.Reason.OTHER and not details:
        raise ValidationError({"details": "Tell the moderators what is wrong with the review."})
    if len(details) > ReviewReport.DETAILS_MAX_LENGTH:
        limit = ReviewReport.DETAILS_MAX_LENGTH
        raise ValidationError({"details": f"Keep the details under {limit} characters."})
    if not Rating.objects.public().filter(pk=rating.pk).exists():
        raise ValidationError(REVIEW_GONE_MESSAGE)
    if ReviewReport.objects.filter(reporter=user, rating=rating).exists():
        raise ValidationError(ALREADY_REPORTED_MESSAGE)
    # Counted after the checks above, so a refused report does not use up the allowance.
    _check_report_rate(user)
    try:
        with transaction.atomic():
            return ReviewReport.objects.create(
                rating=rating, reporter=user, reason=reason, details=details
            )
    except IntegrityError:
        # The same learner's report sent twice at once (a double click): the first one counts.
        raise ValidationError(ALREADY_REPORTED_MESSAGE) from None


@transaction.atomic
def dismiss_reports(*, reports: QuerySet[ReviewReport], by: User) -> int:
    """Moderation: the review stays; its open reports are closed. Returns how many."""
    return reports.filter(status=ReviewReport.Status.OPEN).update(
        status=ReviewReport.Status.DISMISSED, resolved_by=by, resolved_at=timezone.now()
    )
