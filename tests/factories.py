"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

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


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course; pass price_amount=0 for a free one, status="draft" for a draft."""

    class Meta:
        model = "courses.Course"

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    subtitle = "Learn something useful"
    description = "A course about *data*."
    category = factory.SubFactory(CategoryFactory)
    price_amount = 4900
    currency = "EUR"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Section"

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.Lesson"

    section = factory.SubFactory(SectionFactory)
    course = factory.SelfAttribute("section.course")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    position = factory.Sequence(lambda n: n)
    kind = "text"
    body = "Some **content**."
    estimated_minutes = 7


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """Enrolments made the way the site makes them: through learning.services.enroll, so the
    course's enrollment_count and caches follow. revoked_at=... revokes through the service too."""

    class Meta:
        model = "learning.Enrollment"

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    source = "free"

    @classmethod
    def _create(cls, model_class, *, user, course, source, revoked_at=None, **fields):
        from learning.services import enroll, revoke_enrollment

        # enroll() refuses a free enrolment in a paid or draft course; a test that asks for
        # one means "this learner has access", as support would grant it.
        if source == "free" and not (course.is_free and course.is_published):
            enrollment = enroll(user=user, course=course, source="admin")
            model_class.objects.filter(pk=enrollment.pk).update(source=source)
        else:
            enrollment = enroll(user=user, course=course, source=source)
        if revoked_at is not None:
            revoke_enrollment(user=user, course=course, reason=fields.pop("revoked_reason", ""))
            fields["revoked_at"] = revoked_at
        if fields:
            model_class.objects.filter(pk=enrollment.pk).update(**fields)
        enrollment.refresh_from_db()
        return enrollment
