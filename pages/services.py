"""Work that spans apps, each one service calling the apps in the arrows' order.

accounts and learning cannot import the apps that depend on them, so deleting an account and
granting or withdrawing access by hand (support commands) are orchestrated here, at the top.
"""

from django.db import transaction

from accounts import services as accounts_services
from accounts.models import User
from courses.models import Course
from learning import services as learning_services
from learning.models import Enrollment
from ratings import services as ratings_services


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the account, after every app has put right what the row's cascade would not.

    learning: active enrollments leave the courses' counts; ratings: the learner's ratings and
    helpful votes leave the course averages and helpful counts. Then accounts deletes the row
    (the cascade takes enrollments, progress, ratings) and personal files.
    """
    learning_services.forget_learner(user=user)
    ratings_services.forget_learner(user=user)
    accounts_services.delete_account(user=user)


@transaction.atomic
def grant_access(*, user: User, course: Course, source: str) -> Enrollment:
    """Enrol (or restore) the learner, and let ratings count their rating again."""
    enrollment = learning_services.enroll(user=user, course=course, source=source)
    ratings_services.on_access_changed(user=user, course=course)
    return enrollment


@transaction.atomic
def withdraw_access(*, user: User, course: Course, reason: str) -> Enrollment | None:
    """Revoke the learner's access, and take their rating out of the course's average."""
    enrollment = learning_services.revoke_enrollment(user=user, course=course, reason=reason)
    ratings_services.on_access_changed(user=user, course=course)
    return enrollment
