"""A course whose last lesson is an SQL exercise on a small shop dataset, loaded for real."""

import pytest

from learning import sql_sandbox
from learning.exercises.services import load_dataset_tables
from learning.models import Dataset, DatasetTable, Exercise
from tests.factories import CourseFactory, LessonFactory, SectionFactory

ORDERS_CSV = """id,customer,amount
1,ada,12.50
2,bob,7
3,ada,30.25
"""
REFERENCE = "SELECT customer, sum(amount) AS total FROM orders GROUP BY customer"
CORRECT = "select customer, sum(amount) from orders group by 1 order by 1 desc"
WRONG = "SELECT customer, max(amount) FROM orders GROUP BY customer"


@pytest.fixture(name="exercise")
def exercise_fixture(transactional_db):
    course = CourseFactory(title="SQL basics", slug="sql-basics")
    section = SectionFactory(course=course, position=0)
    LessonFactory(section=section, slug="intro", position=0)
    lesson = LessonFactory(
        section=section, slug="totals", kind="exercise", position=1, body="Sum it up."
    )
    dataset = Dataset.objects.create(name="Shop", slug="shop_test")
    DatasetTable.objects.create(dataset=dataset, name="orders", csv_text=ORDERS_CSV)
    load_dataset_tables(dataset=dataset)
    yield Exercise.objects.create(
        lesson=lesson,
        task="Total **amount** per customer.",
        dataset=dataset,
        reference_query=REFERENCE,
    )
    sql_sandbox.drop_dataset(schema=dataset.schema)
    sql_sandbox.drop_roles()
