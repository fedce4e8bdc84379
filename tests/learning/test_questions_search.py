"""The course's "All questions" page: full-text search, filters, pagination, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.questions import services
from learning.questions.views import QUESTIONS_PER_PAGE
from tests.learning.qa_helpers import ask, qa_course, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(learner, other_learner):
    return qa_course(learner, other_learner)


def titles(response):
    return [q.title for q in response.context["page_obj"]]


def test_search_finds_words_in_title_or_body_with_stemming(client, course, learner, staff):
    course, lesson = course
    ask(learner, lesson, title="Grouping rows", body="How does GROUP BY work?")
    ask(learner, lesson, title="Window functions", body="ranking employees by salary")
    ask(learner, lesson, title="Unrelated", body="Installing Python")
    client.force_login(learner)
    assert titles(client.get(url("questions", course), {"q": "ranked employee"})) == [
        "Window functions"
    ]
    assert titles(client.get(url("questions", course), {"q": "grouping"})) == ["Grouping rows"]


def test_search_with_odd_characters_is_not_an_error(client, course, learner):
    course, _ = course
    client.force_login(learner)
    response = client.get(url("questions", course), {"q": "'\"&|!():*<> OR -"})
    assert response.status_code == 200


def test_search_uses_the_gin_index_expression():
    with connection.cursor() as cursor:
        cursor.execute("select indexdef from pg_indexes where indexname = 'question_search'")
        [definition] = cursor.fetchone()
    assert "gin" in definition.lower() and "to_tsvector" in definition


def test_unanswered_filter(client, course, learner, other_learner):
    course, lesson = course
    answered = ask(other_learner, lesson, title="Answered one")
    services.answer_question(author=learner, question=answered, body="Yes")
    ask(other_learner, lesson, title="Open one")
    client.force_login(learner)
    assert titles(client.get(url("questions", course), {"show": "unanswered"})) == ["Open one"]


def test_mine_filter(client, course, learner, other_learner):
    course, lesson = course
    ask(learner, lesson, title="Alice asks")
    ask(other_learner, lesson, title="Bob asks")
    client.force_login(learner)
    assert titles(client.get(url("questions", course), {"show": "mine"})) == ["Alice asks"]


def test_unknown_filter_shows_everything(client, course, learner):
    course, lesson = course
    ask(learner, lesson)
    client.force_login(learner)
    response = client.get(url("questions", course), {"show": "bogus", "page": "x"})
    assert response.status_code == 200
    assert len(titles(response)) == 1


def test_questions_of_another_course_are_not_listed(client, course, learner):
    course, _lesson = course
    _other_course, other_lesson = qa_course(learner)
    ask(learner, other_lesson, title="Elsewhere")
    client.force_login(learner)
    assert titles(client.get(url("questions", course))) == []


def test_list_is_paginated_in_a_flat_number_of_queries(client, course, learner, staff):
    course, lesson = course
    for n in range(QUESTIONS_PER_PAGE + 3):
        ask(staff, lesson, title=f"Question {n}")
    client.force_login(learner)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url("questions", course))
    assert len(titles(first)) == QUESTIONS_PER_PAGE
    assert len(titles(client.get(url("questions", course), {"page": 2}))) == 3
    for n in range(10):
        ask(staff, lesson, title=f"More {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url("questions", course))
    assert len(more) == len(few)
