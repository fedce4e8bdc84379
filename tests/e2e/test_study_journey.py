"""A learner previews a lesson, enrols in a free course, studies two lessons and resumes."""

import re

from playwright.sync_api import expect

from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_learner_enrols_studies_two_lessons_and_resumes_on_the_third(page, base_url, shoot):
    course = course_with_lessons(
        5,
        per_section=3,
        title="Python for data analysis",
        slug="python-for-data",
        price_amount=0,
        outcomes="Load CSV files\nClean and join tables",
        description="A practical course about **pandas**.",
    )
    first = lessons_of(course)[0]
    first.is_preview = True
    first.save()
    learner = UserFactory(email="ada@example.com", display_name="Ada")

    # An anonymous visitor reads the course page and opens the free preview.
    page.goto(f"{base_url}/courses/python-for-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Python for data analysis")
    expect(page.get_by_role("link", name="Log in to enrol")).to_be_visible()
    shoot("course-page")
    page.get_by_role("link", name="Lesson 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")
    expect(page.get_by_text("This is a free preview.")).to_be_visible()

    # She logs in from the course page, comes back to it, and enrols: the first lesson opens.
    page.goto(f"{base_url}/courses/python-for-data/")
    page.get_by_role("link", name="Log in to enrol").click()
    page.fill("input[name=login]", learner.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/courses/python-for-data/$"))
    page.get_by_role("button", name="Enrol for free").click()
    expect(page).to_have_url(re.compile(r"/lessons/lesson-1/$"))
    expect(page.get_by_text("You are enrolled in Python for data analysis.")).to_be_visible()

    # She completes two lessons.
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("20% complete")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as not complete")).to_be_visible()
    page.get_by_role("link", name="Next: Lesson 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_text("40% complete")).to_be_visible()
    expect(page.locator("#course-outline a[aria-current=page]")).to_contain_text("Lesson 2")
    shoot("lesson-page")

    # She leaves, comes back to the course page and continues where she left off.
    page.goto(f"{base_url}/")
    page.goto(f"{base_url}/courses/python-for-data/")
    expect(page.get_by_text("40% complete")).to_be_visible()
    shoot("course-page-enrolled")
    page.get_by_role("link", name="Continue learning").click()
    expect(page).to_have_url(re.compile(r"/lessons/lesson-3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 3")

    # My learning lists the course with its progress.
    page.goto(f"{base_url}/courses/my-learning/")
    expect(page.get_by_text("40% complete")).to_be_visible()
    shoot("my-learning")
