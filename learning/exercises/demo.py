"""The demo SQL exercise that seed_demo adds to "SQL Fundamentals": a small real dataset."""

from __future__ import annotations

from django.db.models import Max
from django.utils.text import slugify

from courses.models import Course, Lesson
from learning.exercises.services import load_dataset_tables
from learning.models import Dataset, DatasetTable, Exercise

CUSTOMERS_CSV = """id,name,country,joined_on
1,Ada Lovelace,UK,2025-01-14
2,Grace Hopper,US,2025-02-03
3,Edsger Dijkstra,NL,2025-02-20
4,Barbara Liskov,US,2025-03-11
5,Alan Turing,UK,2025-04-02
6,Margaret Hamilton,US,2025-05-19
"""
ORDERS_CSV = """id,customer_id,placed_on,amount,paid
1,1,2025-03-01,49.00,true
2,2,2025-03-04,19.50,true
3,1,2025-03-09,120.00,true
4,3,2025-04-12,9.99,false
5,4,2025-04-20,75.25,true
6,2,2025-05-02,30.00,true
7,5,2025-05-28,15.00,true
8,6,2025-06-03,220.00,true
9,4,2025-06-15,12.75,false
10,1,2025-06-30,64.50,true
"""
TASK = """Each customer has placed orders in the `orders` table, and `customers` holds their names.

Write a query that returns, for every **country**, the total amount of the **paid** orders of
its customers, as two columns `country` and `revenue`, largest revenue first.
"""
REFERENCE = """SELECT c.country, sum(o.amount) AS revenue
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.paid
GROUP BY c.country
ORDER BY revenue DESC"""
TITLE = "Exercise: revenue by country"


def ensure_demo_exercise(*, course: Course) -> Exercise:
    """Add the exercise as the course's last lesson, and (re)load its dataset; idempotent."""
    dataset, _ = Dataset.objects.get_or_create(
        slug="demo_shop",
        defaults={"name": "Demo shop", "description": "Six customers and their ten orders."},
    )
    for name, text in (("customers", CUSTOMERS_CSV), ("orders", ORDERS_CSV)):
        DatasetTable.objects.update_or_create(
            dataset=dataset, name=name, defaults={"csv_text": text}
        )
    # Loaded on every run: a new database (or a restore) gets the schema back.
    load_dataset_tables(dataset=dataset)
    lesson = Lesson.objects.filter(course=course, slug=slugify(TITLE)).first()
    if lesson is None:
        section = course.sections.order_by("-position", "-id").first()
        last = section.lessons.aggregate(last=Max("position"))["last"] or 0
        lesson = Lesson.objects.create(
            section=section,
            title=TITLE,
            slug=slugify(TITLE),
            position=last + 1,
            kind=Lesson.Kind.EXERCISE,
            body="Put joins, filters and aggregates together in one query.",
            estimated_minutes=10,
        )
    exercise, _ = Exercise.objects.get_or_create(
        lesson=lesson,
        defaults={
            "task": TASK,
            "dataset": dataset,
            "reference_query": REFERENCE,
            "order_matters": True,
        },
    )
    return exercise
