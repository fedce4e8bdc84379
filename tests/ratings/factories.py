"""Ratings made the way learners make them: enrolled first, then rated through the service."""

import factory

from learning.models import Enrollment
from ratings import services
from ratings.models import Rating
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory


def enrolled(user, course) -> Enrollment:
    return EnrollmentFactory(user=user, course=course)


def rate(course, stars: int, user=None, **fields) -> Rating:
    """An enrolled learner (a new one unless given) rates the course through the service."""
    user = user or UserFactory()
    if not Enrollment.objects.filter(user=user, course=course).exists():
        enrolled(user, course)
    return services.rate_course(user=user, course=course, stars=stars, **fields)


class RatingFactory(factory.django.DjangoModelFactory):
    """A raw row, for database-constraint tests; it does not update the course's average."""

    class Meta:
        model = Rating

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    stars = 4
