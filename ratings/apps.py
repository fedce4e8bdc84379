from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


def _forget_deleted_learner(sender, instance, **kwargs):
    from ratings.services import forget_learner

    forget_learner(user=instance)


class RatingsConfig(AppConfig):
    name = "ratings"

    def ready(self):
        # accounts cannot import ratings (dependencies point the other way), so ratings
        # listens for an account's deletion and keeps course summaries right.
        pre_delete.connect(
            _forget_deleted_learner,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="ratings_forget_deleted_learner",
        )
