"""A learner takes a graded quiz: fails, reads the feedback, tries again and passes, which
completes the lesson. Plain form posts: the quiz needs no JavaScript."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, EnrollmentFactory, UserFactory
from tests.learning.quiz_factories import add_choice, add_numeric, make_quiz


def test_learner_fails_a_quiz_retries_and_passes(page, base_url, shoot):
    quiz = make_quiz(pass_mark=100, max_attempts=3)
    add_choice(
        quiz,
        prompt="Which method shows the first rows?",
        options=(("df.head()", True), ("df.top()", False)),
        explanation="head() shows five rows by default.",
    )
    add_numeric(quiz, answer="5", tolerance="0.01", explanation="(2 + 4 + 9) / 3 = 5")
    learner = UserFactory(email="quiz@example.com", display_name="Quinn")
    EnrollmentFactory(user=learner, course=quiz.lesson.course)
    lesson_url = f"{base_url}/courses/{quiz.lesson.course.slug}/lessons/{quiz.lesson.slug}/"

    login(page, base_url, learner.email, DEFAULT_PASSWORD, next_url=lesson_url)
    expect(page.get_by_role("heading", name="Quiz")).to_be_visible()
    expect(page.get_by_role("button", name="Mark complete")).to_have_count(0)
    shoot("quiz-lesson")

    # First attempt: one wrong answer, so not passed; the feedback and explanation show.
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("group", name=re.compile("Question 1"))).to_be_visible()
    page.get_by_label("df.top()").check()
    page.get_by_label("Your answer (a number)").fill("5")
    shoot("quiz-attempt")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Not passed")).to_be_visible()
    expect(page.get_by_text("FEEDBACK-wrong-answer")).to_be_visible()
    expect(page.get_by_text("head() shows five rows by default.")).to_be_visible()
    expect(page.get_by_text("2 attempts left.")).to_be_visible()
    shoot("quiz-result-failed")

    # Second attempt: all right; the lesson is complete.
    page.get_by_role("button", name="Try again").click()
    page.get_by_label("df.head()").check()
    page.get_by_label("Your answer (a number)").fill("5,00")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    expect(page.get_by_text("This lesson is complete.")).to_be_visible()
    shoot("quiz-result-passed")

    page.get_by_role("link", name="Back to the lesson").click()
    expect(page.get_by_text("Passed: this lesson is complete.")).to_be_visible()
    expect(page.get_by_text("33% complete")).to_be_visible()
