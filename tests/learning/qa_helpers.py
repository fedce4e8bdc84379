"""A paid course where alice (learner) and bob (other_learner) both have access."""

from django.urls import reverse

from learning.questions import services
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory


def qa_course(*learners):
    course = course_with_lessons(2)
    for learner in learners:
        EnrollmentFactory(user=learner, course=course, source="purchase")
    return course, lessons_of(course)[0]


def ask(author, lesson, title="How do joins work?", body="I am **stuck**."):
    return services.ask_question(author=author, lesson=lesson, title=title, body=body)


def question_url(question):
    return reverse("learning:question", args=[question.course.slug, question.pk])


def url(name, course, *args):
    return reverse(f"learning:{name}", args=[course.slug, *args])
