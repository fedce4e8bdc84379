"""A visitor searches from the header, narrows the results with a filter and opens a course."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import CategoryFactory, CourseFactory


def test_visitor_searches_filters_and_opens_a_course(page, base_url, shoot):
    python = CategoryFactory(name="Python", slug="python")
    CategoryFactory(name="SQL", slug="sql")
    CourseFactory(
        title="Pandas for Beginners",
        slug="pandas-for-beginners",
        subtitle="Tidy data frames with pandas, step by step",
        category=python,
        level="beginner",
        price_amount=0,
    )
    CourseFactory(
        title="Advanced Pandas",
        slug="advanced-pandas",
        subtitle="MultiIndex, reshaping and pandas performance",
        category=python,
        level="advanced",
        price_amount=4900,
    )
    CourseFactory(title="SQL Joins", slug="sql-joins", subtitle="Joins explained")

    page.goto(base_url + reverse("home"))
    expect(page.get_by_role("heading", name="New courses")).to_be_visible()
    shoot("home-featured")
    page.get_by_label("Search courses").first.fill("pandas")
    page.get_by_label("Search courses").first.press("Enter")

    expect(page).to_have_url(re.compile(r"/courses/\?q=pandas"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("pandas")
    expect(page.get_by_role("heading", name="2 courses")).to_be_visible()
    expect(page.locator(".course-snippet mark").first).to_have_text(re.compile("pandas", re.I))
    expect(page.get_by_role("link", name="SQL Joins")).to_have_count(0)
    shoot("catalog-search-results")

    page.get_by_role("region", name="Level").get_by_role("link", name="Beginner").click()
    expect(page).to_have_url(re.compile(r"level=beginner"))
    expect(page).to_have_url(re.compile(r"q=pandas"))
    expect(page.get_by_role("heading", name="1 course")).to_be_visible()
    expect(page.get_by_role("link", name="Advanced Pandas")).to_have_count(0)
    shoot("catalog-filtered")

    page.get_by_role("link", name="Pandas for Beginners").click()
    expect(page).to_have_url(base_url + reverse("courses:detail", args=["pandas-for-beginners"]))


def test_category_page_lists_its_courses(page, base_url, shoot):
    sql = CategoryFactory(name="SQL", slug="sql", description="Query databases with confidence.")
    CourseFactory(title="SQL Joins", slug="sql-joins", category=sql)
    page.goto(base_url + reverse("courses:category", args=["sql"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("SQL")
    expect(page.get_by_role("link", name="SQL Joins")).to_be_visible()
    shoot("catalog-category")
