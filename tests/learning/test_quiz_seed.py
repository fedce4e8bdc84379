"""seed_demo's quizzes: a graded quiz added to the demo courses once, however often it runs."""

import pytest

from courses.models import Lesson
from learning.models import Quiz, QuizQuestion
from learning.quizzes.demo import seed_demo_quizzes
from tests.factories import CourseFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_demo_quizzes_are_added_once_with_every_question_kind():
    course = CourseFactory(slug="sql-fundamentals")
    SectionFactory(course=course, position=1)
    CourseFactory(slug="some-other-course")
    assert seed_demo_quizzes() == 1
    assert seed_demo_quizzes() == 0
    quiz = Quiz.objects.get()
    assert quiz.lesson.course == course and quiz.lesson.kind == Lesson.Kind.QUIZ
    assert quiz.is_graded
    kinds = set(QuizQuestion.objects.filter(quiz=quiz).values_list("kind", flat=True))
    assert kinds == {choice.value for choice in QuizQuestion.Kind}
