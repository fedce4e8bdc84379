"""Catalog data in bulk, for tests that compare query counts at two data sizes."""

from django.utils import timezone

from courses.models import Category, Course, Lesson, Section


def bulk_courses(count: int, *, category: Category, prefix: str = "bulk") -> list[Course]:
    """Published courses with one section and two lessons each, in a handful of queries."""
    now = timezone.now()
    courses = Course.objects.bulk_create(
        Course(
            title=f"Python topic {prefix} {n}",
            slug=f"{prefix}-{n}",
            subtitle="Practical data work",
            description="Learn *python* for data.",
            category=category,
            level=("beginner", "intermediate", "advanced")[n % 3],
            price_amount=(0, 1900, 4900)[n % 3],
            status="published",
            published_at=now,
            rating_average=n % 5,
            rating_count=n,
            enrollment_count=n,
        )
        for n in range(count)
    )
    sections = Section.objects.bulk_create(
        Section(course=course, title="Start", position=0) for course in courses
    )
    Lesson.objects.bulk_create(
        Lesson(section=section, course=section.course, title=title, slug=slug, position=i)
        for section in sections
        for i, (title, slug) in enumerate((("Hello", "hello"), ("Python data", "python-data")))
    )
    return courses
