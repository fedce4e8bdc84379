"""A learner rates a course they study and sees the average change on the reviews page."""

from django.urls import reverse
from playwright.sync_api import expect

from learning.services import enroll
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, CourseFactory, UserFactory
from tests.ratings.factories import rate


def test_learner_rates_a_course_and_sees_the_average_change(page, base_url, shoot):
    course = CourseFactory(title="Statistics without tears", price_amount=0)
    rate(course, 5, title="Best course I took", body="Clear and **friendly**.")
    learner = UserFactory(email="rita@example.com", display_name="Rita")
    enroll(user=learner, course=course, source="free")

    login(page, base_url, learner.email, DEFAULT_PASSWORD)
    page.goto(base_url + reverse("ratings:list", args=[course.slug]))
    assert page.locator("[data-rating-average]").inner_text() == "5.00"

    page.goto(base_url + reverse("ratings:rate", args=[course.slug]))
    stars = page.get_by_role("group", name="Your rating")
    stars.get_by_label("4 stars: good").check()
    page.get_by_label("Title (optional)").fill("Solid, a bit fast")
    page.get_by_label("Review (optional)").fill("The *exercises* helped most.")
    shoot("ratings-form")
    page.get_by_role("button", name="Publish rating").click()

    page.wait_for_url(f"**{reverse('ratings:list', args=[course.slug])}")
    assert "Thank you for rating this course." in page.locator(".messages").inner_text()
    assert page.locator("[data-rating-average]").inner_text() == "4.50"
    assert page.locator("[data-rating-count]").inner_text() == "2 ratings"
    review = page.locator("article.review", has_text="Solid, a bit fast")
    assert review.locator("em").inner_text() == "exercises"
    assert "By Rita" in review.inner_text()
    shoot("ratings-list")

    # htmx swaps the new count in place (without JavaScript the form posts and redirects).
    other = page.locator("article.review", has_text="Best course I took")
    other.get_by_role("button", name="Helpful").click()
    expect(other.locator(".review-helpful")).to_contain_text(
        "You found this helpful · 1 person did"
    )
    assert page.get_by_text("your vote was counted").count() == 0
