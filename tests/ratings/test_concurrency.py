"""Simultaneous ratings of one course: the row lock on the course keeps the summary exact."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from ratings import services
from tests.factories import CourseFactory, UserFactory
from tests.ratings.factories import enrolled


@pytest.mark.django_db(transaction=True)
def test_ten_learners_rating_at_once_give_the_exact_average_and_count():
    course = CourseFactory()
    stars = [5, 5, 5, 5, 4, 4, 4, 3, 3, 1]  # 39 / 10
    learners = [UserFactory() for _ in stars]
    for learner in learners:
        enrolled(learner, course)
    start = threading.Barrier(len(learners))
    errors = []

    def rate(learner, value):
        try:
            start.wait(timeout=10)
            services.rate_course(user=learner, course=course, stars=value)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=rate, args=(learner, value))
        for learner, value in zip(learners, stars, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    course.refresh_from_db()
    assert (course.rating_count, course.rating_average) == (10, Decimal("3.90"))
