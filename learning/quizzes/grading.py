"""Grading a quiz attempt's answers: pure functions over questions and options, no writes.

Rules (tests/learning/test_quiz_grading.py holds one test per rule):
- single choice and true/false: the chosen option is a correct one;
- multiple choice is all-or-nothing: the chosen options are exactly the correct ones. Partial
  credit would reward ticking every box; a question worth more is given more points instead;
- number: |answer - expected| <= tolerance (both edges right), decimal arithmetic, and a
  decimal comma is accepted ("3,5");
- short text: one of the accepted answers after Unicode normalisation (NFKC), case folding and
  collapsing whitespace ("  New   york " == "new York");
- an unanswered question earns nothing;
- pass: score * 100 >= pass_mark * max score, on whole points (no rounding of percents).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from learning.models import QuizQuestion


def normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def parse_number(value: str) -> Decimal | None:
    """The learner's number, or None if it is not one ("3,5" is 3.5; "1e3" is 1000)."""
    cleaned = value.strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def accepted_answers(question: QuizQuestion) -> set[str]:
    return {normalise_text(line) for line in question.accepted_answers.splitlines() if line.strip()}


def is_correct(question: QuizQuestion, answer) -> bool:
    """answer: a list of option ids for choice questions, a string otherwise (None: blank)."""
    if answer in (None, "", []):
        return False
    if question.is_choice:
        chosen = {int(x) for x in answer}
        correct = {option.id for option in question.options.all() if option.is_correct}
        if question.kind == QuizQuestion.Kind.MULTIPLE:
            return bool(correct) and chosen == correct
        return len(chosen) == 1 and chosen <= correct
    if question.kind == QuizQuestion.Kind.NUMERIC:
        number = parse_number(str(answer))
        if number is None or question.numeric_answer is None:
            return False
        return abs(number - question.numeric_answer) <= question.tolerance
    return normalise_text(str(answer)) in accepted_answers(question)


@dataclass
class Grade:
    score: int
    max_score: int
    passed: bool
    results: dict[str, dict]  # {"<question id>": {"awarded": int, "correct": bool}}


def grade(*, questions: list[QuizQuestion], answers: dict[str, object], pass_mark: int) -> Grade:
    results = {}
    for question in questions:
        correct = is_correct(question, answers.get(str(question.id)))
        results[str(question.id)] = {
            "awarded": question.points if correct else 0,
            "correct": correct,
        }
    score = sum(item["awarded"] for item in results.values())
    max_score = sum(question.points for question in questions)
    passed = max_score > 0 and score * 100 >= pass_mark * max_score
    return Grade(score=score, max_score=max_score, passed=passed, results=results)
