"""A learner asks a question under a lesson, another learner answers it, she accepts the
answer; then she takes a note at a video time, bookmarks the lesson and exports her notes."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, EnrollmentFactory, UserFactory


def test_ask_answer_accept_then_note_bookmark_and_export(page, base_url, shoot, browser):
    course = course_with_lessons(2, title="SQL joins", slug="sql-joins")
    lesson = lessons_of(course)[0]
    ada = UserFactory(email="ada@example.com", display_name="Ada")
    ben = UserFactory(email="ben@example.com", display_name="Ben")
    for learner in (ada, ben):
        EnrollmentFactory(user=learner, course=course, source="purchase")
    lesson_path = f"/courses/sql-joins/lessons/{lesson.slug}/"

    # Ada asks a question under the lesson.
    login(page, base_url, ada.email, DEFAULT_PASSWORD, lesson_path)
    page.get_by_text("Ask a question").click()
    page.get_by_label("Your question in one line").fill("Why do I get duplicate rows?")
    page.get_by_label("Details").fill("My `LEFT JOIN` returns **more** rows.")
    page.get_by_role("button", name="Post question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why do I get duplicate rows?")
    expect(page.get_by_text("Your question is posted.")).to_be_visible()

    # Ben answers it in his own browser session.
    context = browser.new_context()
    other = context.new_page()
    login(other, base_url, ben.email, DEFAULT_PASSWORD, "/courses/sql-joins/questions/")
    other.get_by_role("link", name="Why do I get duplicate rows?").click()
    other.get_by_role("textbox", name="Your answer").fill("The right table's key is not unique.")
    other.get_by_role("button", name="Post answer").click()
    expect(other.get_by_text("Your answer is posted.")).to_be_visible()
    context.close()

    # Ada accepts the answer.
    page.reload()
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Accepted answer")).to_be_visible()
    shoot("qa-question")

    # The course's question list finds it by a word of the body.
    page.goto(f"{base_url}/courses/sql-joins/questions/?q=returns")
    expect(page.get_by_role("link", name="Why do I get duplicate rows?")).to_be_visible()
    shoot("qa-list")

    # She takes a note at 01:30, bookmarks the lesson (htmx) and exports her notes.
    page.goto(f"{base_url}{lesson_path}")
    page.get_by_role("textbox", name="Note").fill("Check key **uniqueness** first.")
    page.get_by_label("Video time (optional)").fill("01:30")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("link", name="At 01:30")).to_have_attribute("href", "#t=90")
    page.get_by_role("button", name="Bookmark this lesson").click()
    expect(page.get_by_role("button", name="Bookmarked")).to_have_attribute("aria-pressed", "true")
    shoot("lesson-with-notes")
    page.get_by_role("link", name="All my notes for this course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    shoot("my-notes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export as Markdown").click()
    download = download_info.value
    assert download.suggested_filename == "notes-sql-joins.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "**At 01:30**" in text and "Check key **uniqueness** first." in text

    # The bookmark shows in My learning.
    page.goto(f"{base_url}/courses/my-learning/")
    expect(page.get_by_role("heading", name="Bookmarked lessons")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(lesson.title))).to_be_visible()
