"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary email, as allauth requires to log in (verified=False to skip)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
