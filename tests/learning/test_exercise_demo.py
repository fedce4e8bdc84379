"""seed_demo's SQL exercise: a real dataset whose reference answer runs, added once."""

import pytest

from learning import sql_sandbox
from learning.exercises.demo import REFERENCE, ensure_demo_exercise
from learning.models import Exercise
from tests.factories import CourseFactory, LessonFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course():
    course = CourseFactory(slug="sql-fundamentals")
    LessonFactory(section=SectionFactory(course=course, position=1))
    yield course
    sql_sandbox.drop_dataset(schema="sqlx_demo_shop")
    sql_sandbox.drop_roles()


def test_the_demo_exercise_is_added_once_and_its_answer_runs(course):
    exercise = ensure_demo_exercise(course=course)
    ensure_demo_exercise(course=course)
    assert Exercise.objects.count() == 1
    assert course.lessons.filter(kind="exercise").count() == 1
    result = sql_sandbox.run_query(schema=exercise.dataset.schema, query=REFERENCE)
    assert result.columns == ["country", "revenue"]
    # Largest first; the only NL order is unpaid.
    assert [row[0] for row in result.rows] == ["US", "UK"]
