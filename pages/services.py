"""Work that spans apps, done in one place: each app forgets a learner in the arrows' order.

accounts cannot import the apps that depend on it, so the deletion is orchestrated here, at
the top of the arrows, and both the delete-account page and the user admin call it.
"""

from django.db import transaction

from accounts import services as accounts_services
from accounts.models import User
from learning import services as learning_services
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
