"""Grading on the server, one rule per test (learning/quizzes/grading.py documents them)."""

from decimal import Decimal

import pytest

from learning.quizzes.grading import grade, is_correct, normalise_text, parse_number
from tests.learning.quiz_factories import add_choice, add_numeric, add_text, make_quiz

pytestmark = pytest.mark.django_db


def ids(question, *texts):
    return [o.id for o in question.options.all() if o.text in texts]


def test_single_choice_is_right_only_with_the_correct_option():
    question = add_choice(make_quiz())
    assert is_correct(question, ids(question, "Right"))
    assert not is_correct(question, ids(question, "Wrong"))
    assert not is_correct(question, ids(question, "Right", "Wrong"))
    assert not is_correct(question, None)


def test_true_false_is_graded_like_single_choice():
    question = add_choice(make_quiz(), "true_false", (("True", False), ("False", True)))
    assert is_correct(question, ids(question, "False"))
    assert not is_correct(question, ids(question, "True"))


def test_multiple_choice_is_all_or_nothing():
    question = add_choice(make_quiz(), "multiple", (("A", True), ("B", True), ("C", False)))
    assert is_correct(question, ids(question, "A", "B"))
    assert not is_correct(question, ids(question, "A"))  # one right option missing
    assert not is_correct(question, ids(question, "A", "B", "C"))  # ticking everything
    assert not is_correct(question, [])


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("3.14", True),
        ("3.13", True),  # lower edge: |3.13 - 3.14| == tolerance
        ("3.15", True),  # upper edge
        ("3.1301", True),
        ("3.12999", False),
        ("3.15001", False),
        ("3,14", True),  # decimal comma
        (" 3.14 ", True),
        ("pi", False),
        ("NaN", False),
        ("Infinity", False),
        ("", False),
    ],
)
def test_number_is_right_within_the_tolerance_edges_included(answer, right):
    question = add_numeric(make_quiz(), answer="3.14", tolerance="0.01")
    assert is_correct(question, answer) is right


def test_number_without_tolerance_must_be_exact():
    question = add_numeric(make_quiz(), answer="42", tolerance="0")
    assert is_correct(question, "42.000")
    assert not is_correct(question, "42.0001")


def test_short_text_forgives_case_and_whitespace_but_not_spelling():
    question = add_text(make_quiz(), accepted="New York\nNYC")
    assert is_correct(question, "  new   YORK ")
    assert is_correct(question, "nyc")
    assert is_correct(question, "\uff2e\uff39\uff23")  # full-width letters, NFKC
    assert not is_correct(question, "New Yrok")
    assert not is_correct(question, "")


def test_normalise_and_parse_helpers():
    assert normalise_text("  Straße\tX ") == "strasse x"
    assert parse_number("1e3") == Decimal(1000)
    assert parse_number("abc") is None


def test_score_and_pass_mark_use_whole_points():
    quiz = make_quiz(pass_mark=60)
    first = add_choice(quiz, points=3)
    second = add_choice(quiz, points=2)
    questions = list(quiz.questions.prefetch_related("options"))
    only_first = {str(first.id): ids(first, "Right"), str(second.id): ids(second, "Wrong")}
    result = grade(questions=questions, answers=only_first, pass_mark=60)
    assert (result.score, result.max_score, result.passed) == (3, 5, True)  # 60 % exactly
    assert result.results[str(second.id)] == {"awarded": 0, "correct": False}
    assert not grade(questions=questions, answers=only_first, pass_mark=61).passed
    assert grade(questions=questions, answers={}, pass_mark=0).passed  # 0 % passes anyone
