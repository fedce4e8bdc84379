"""A quiz lesson with one question of every kind, for the quiz tests."""

from decimal import Decimal

from learning.models import Quiz, QuizOption, QuizQuestion
from tests.factories import CourseFactory, LessonFactory, SectionFactory

# Strings that exist only in the answer key: none may appear on the page before grading.
SECRETS = [
    "FEEDBACK-right-answer",
    "FEEDBACK-wrong-answer",
    "EXPLANATION-of-question",
    "accepted-secret-answer",
    "271828",
]


def make_quiz(course=None, **quiz_fields) -> Quiz:
    course = course or CourseFactory(slug="quiz-course", price_amount=0)
    section = SectionFactory(course=course, position=0)
    LessonFactory(section=section, title="Intro", slug="intro", position=0)
    lesson = LessonFactory(
        section=section, title="Check yourself", slug="check", position=1, kind="quiz"
    )
    LessonFactory(section=section, title="After", slug="after", position=2)
    quiz_fields.setdefault("shuffle_questions", False)
    quiz_fields.setdefault("shuffle_options", False)
    return Quiz.objects.create(lesson=lesson, **quiz_fields)


def add_choice(quiz, kind="single", options=(("Right", True), ("Wrong", False)), **fields):
    question = QuizQuestion.objects.create(
        quiz=quiz,
        kind=kind,
        prompt=fields.pop("prompt", f"A {kind} question?"),
        position=quiz.questions.count(),
        **fields,
    )
    for position, (text, correct) in enumerate(options):
        QuizOption.objects.create(
            question=question,
            text=text,
            is_correct=correct,
            position=position,
            feedback="FEEDBACK-right-answer" if correct else "FEEDBACK-wrong-answer",
        )
    return question


def add_numeric(quiz, answer="2.71828", tolerance="0.01", **fields):
    return QuizQuestion.objects.create(
        quiz=quiz,
        kind="numeric",
        prompt="What is e?",
        numeric_answer=Decimal(answer),
        tolerance=Decimal(tolerance),
        position=quiz.questions.count(),
        **fields,
    )


def add_text(quiz, accepted="New York\naccepted-secret-answer", **fields):
    return QuizQuestion.objects.create(
        quiz=quiz,
        kind="text",
        prompt="Which city?",
        accepted_answers=accepted,
        position=quiz.questions.count(),
        **fields,
    )


def full_quiz(**quiz_fields) -> Quiz:
    """Five questions, one per kind, 1 point each; the explanation is on every question."""
    quiz = make_quiz(**quiz_fields)
    explanation = {"explanation": "EXPLANATION-of-question"}
    add_choice(quiz, "single", **explanation)
    add_choice(quiz, "multiple", (("A", True), ("B", True), ("C", False)), **explanation)
    add_choice(quiz, "true_false", (("True", True), ("False", False)), **explanation)
    add_numeric(quiz, **explanation)
    add_text(quiz, **explanation)
    return quiz


def right_answers(quiz) -> dict[str, object]:
    """The answers that score every point, as QuizForm.answers() returns them."""
    answers = {}
    for question in quiz.questions.prefetch_related("options"):
        if question.is_choice:
            answers[str(question.id)] = sorted(o.id for o in question.options.all() if o.is_correct)
        elif question.kind == "numeric":
            answers[str(question.id)] = str(question.numeric_answer)
        else:
            answers[str(question.id)] = question.accepted_answers.splitlines()[0]
    return answers


def as_post(answers: dict[str, object]) -> dict[str, object]:
    """The same answers as the quiz form posts them (q<id> fields)."""
    return {f"q{key}": value for key, value in answers.items()}
