"""Look-ups shared by the support commands, with errors an operator can act on."""

from django.core.management.base import CommandError

from accounts.models import User
from courses.models import Course


def user_and_course(email: str, slug: str) -> tuple[User, Course]:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No user with the email address {email!r}.")
    course = Course.objects.filter(slug=slug.strip()).first()
    if course is None:
        raise CommandError(f"No course with the slug {slug!r}.")
    return user, course
