"""Courses with an outline, for the course page and study tests."""

from courses.models import Course, Lesson
from tests.factories import CourseFactory, LessonFactory, SectionFactory


def course_with_lessons(lessons: int = 3, *, per_section: int = 3, **course_fields) -> Course:
    """A published course whose lessons are spread over sections of `per_section` lessons."""
    course = CourseFactory(**course_fields)
    section = None
    for index in range(lessons):
        if index % per_section == 0:
            section = SectionFactory(course=course, position=index // per_section)
        LessonFactory(
            section=section,
            title=f"Lesson {index + 1}",
            slug=f"lesson-{index + 1}",
            position=index % per_section,
        )
    return course


def lessons_of(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course).order_by("section__position", "position"))
