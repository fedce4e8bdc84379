"""Staff read a course's gradebook in the admin (a row per learner, a column per quiz) and
download it as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from learning.quizzes.services import start_attempt, submit_attempt
from tests.factories import EnrollmentFactory, UserFactory
from tests.learning.quiz_factories import full_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(learner, other_learner):
    quiz = full_quiz()
    mine = EnrollmentFactory(user=learner, course=quiz.lesson.course)
    submit_attempt(attempt=start_attempt(quiz=quiz, enrollment=mine), answers={})
    submit_attempt(attempt=start_attempt(quiz=quiz, enrollment=mine), answers=right_answers(quiz))
    EnrollmentFactory(user=other_learner, course=quiz.lesson.course)
    return quiz


def gradebook_url(quiz):
    return reverse("admin:learning_quiz_gradebook", args=[quiz.lesson.course_id])


def test_staff_see_best_score_and_attempts_per_learner(client, staff, graded):
    client.force_login(staff)
    html = client.get(gradebook_url(graded)).content.decode()
    assert "alice@example.com" in html and "100%" in html and "(2 attempts)" in html
    assert "bob@example.com" in html and "(0 attempts)" in html


def test_the_gradebook_downloads_as_csv(client, staff, graded):
    client.force_login(staff)
    response = client.get(gradebook_url(graded) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "email",
        "name",
        "access",
        "Check yourself: best %",
        "Check yourself: attempts",
        "Check yourself: passed",
    ]
    assert rows[1] == ["alice@example.com", "Alice", "active", "100", "2", "yes"]
    assert rows[2] == ["bob@example.com", "Bob", "active", "", "0", "no"]


def test_a_formula_in_a_learners_name_is_not_run_by_spreadsheets(client, staff, graded):
    sneaky = UserFactory(email="zed@example.com", display_name="=HYPERLINK(1)")
    EnrollmentFactory(user=sneaky, course=graded.lesson.course)
    client.force_login(staff)
    content = client.get(gradebook_url(graded) + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in content


def test_learners_cannot_open_the_gradebook(client, learner, graded):
    client.force_login(learner)
    response = client.get(gradebook_url(graded) + "?format=csv")
    assert response.status_code == 302 and "/login/" in response.url


def test_staff_author_a_quiz_in_the_admin(client, staff, graded):
    client.force_login(staff)
    assert client.get(reverse("admin:learning_quiz_change", args=[graded.pk])).status_code == 200
    question = graded.questions.get(kind="single")
    url = reverse("admin:learning_quizquestion_change", args=[question.pk])
    assert client.get(url).status_code == 200
    options = list(question.options.all())
    data = {
        "quiz": graded.pk,
        "position": 0,
        "kind": "single",
        "prompt": "Which?",
        "points": 1,
        "tolerance": "0",
        "options-TOTAL_FORMS": 2,
        "options-INITIAL_FORMS": 2,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, option in enumerate(options):
        data |= {
            f"options-{index}-id": option.pk,
            f"options-{index}-question": question.pk,
            f"options-{index}-text": option.text,
            f"options-{index}-position": index,
            f"options-{index}-is_correct": "on",  # two correct options for a single choice
        }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mark exactly one option as correct." in response.content.decode()
