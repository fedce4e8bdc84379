"""Search: the stored vector follows edits, ranking, typo tolerance, snippets and facets."""

from decimal import Decimal

import pytest

from courses.models import Course
from courses.search.backend import get_search_backend
from courses.search.filters import CatalogFilters
from tests.factories import CategoryFactory, CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def titles(query: str, **filters) -> list[str]:
    results = get_search_backend().search(query, CatalogFilters(q=query, **filters))
    return [course.title for course in results.page.object_list]


def test_a_new_course_is_searchable_at_once():
    CourseFactory(title="Time Series Forecasting")
    assert titles("forecasting") == ["Time Series Forecasting"]


def test_editing_a_course_title_updates_what_finds_it():
    course = CourseFactory(title="Spreadsheets for Beginners")
    course.title = "Dashboards with Metabase"
    course.save()
    assert titles("metabase") == ["Dashboards with Metabase"]
    assert titles("spreadsheets") == []


def test_a_lesson_title_makes_its_course_findable():
    course = CourseFactory(title="Data Engineering Basics")
    LessonFactory(section__course=course, title="Orchestrating pipelines with Airflow")
    assert titles("airflow") == ["Data Engineering Basics"]


def test_renaming_a_lesson_updates_its_course_in_search():
    course = CourseFactory(title="Data Engineering Basics")
    lesson = LessonFactory(section__course=course, title="Scheduling with cron")
    lesson.title = "Scheduling with Airflow"
    lesson.save()
    assert titles("airflow") == ["Data Engineering Basics"]
    assert titles("cron") == []


def test_deleting_a_lesson_removes_its_words_from_the_course():
    course = CourseFactory(title="Data Engineering Basics")
    LessonFactory(section__course=course, title="Streaming with Kafka").delete()
    assert titles("kafka") == []


def test_saving_a_stale_copy_of_a_course_keeps_lesson_words():
    course = CourseFactory(title="Data Engineering Basics")
    stale = Course.objects.get(pk=course.pk)
    LessonFactory(section__course=course, title="Streaming with Kafka")
    stale.save()
    assert titles("kafka") == ["Data Engineering Basics"]


def test_an_exact_title_match_ranks_above_a_description_mention():
    CourseFactory(title="Statistics in Practice", description="We use Python a little.")
    CourseFactory(title="Python for Data Analysis", description="Pandas and notebooks.")
    assert titles("python") == ["Python for Data Analysis", "Statistics in Practice"]


def test_a_misspelt_query_still_finds_the_course():
    CourseFactory(title="Python for Data Analysis")
    CourseFactory(title="SQL Fundamentals")
    results = get_search_backend().search("pyhton", CatalogFilters(q="pyhton"))
    assert [c.title for c in results.page.object_list] == ["Python for Data Analysis"]
    assert results.typo_tolerant
    assert results.suggestion == "python"


def test_drafts_never_appear_in_search():
    CourseFactory(title="Python Secrets", status="draft", published_at=None)
    assert titles("python") == []
    assert titles("pyhton") == []


def test_accents_do_not_matter():
    CourseFactory(title="Régression linéaire")
    assert titles("regression lineaire") == ["Régression linéaire"]


def test_snippet_highlights_the_match_and_escapes_course_text():
    CourseFactory(
        title="Web Scraping",
        subtitle="Collect data",
        description='Parse <script>alert(1)</script> "R&D" pages with BeautifulSoup safely.',
    )
    results = get_search_backend().search("beautifulsoup", CatalogFilters(q="beautifulsoup"))
    headline = str(results.page.object_list[0].headline)
    assert "<mark>BeautifulSoup</mark>" in headline
    assert "<script" not in headline
    assert "R&amp;D" in headline


def test_facet_counts_cover_the_query_and_the_other_filters():
    sql, python = CategoryFactory(slug="sql"), CategoryFactory(slug="python")
    CourseFactory(title="Python basics", category=python, level="beginner", price_amount=0)
    CourseFactory(title="Python pro", category=python, level="advanced", price_amount=4900)
    CourseFactory(title="Python for SQL users", category=sql, level="beginner")
    CourseFactory(title="Window functions", category=sql, level="advanced")
    results = get_search_backend().search("python", CatalogFilters(q="python", level="beginner"))
    facets = results.facets
    assert results.total == 2
    # Levels ignore the level filter itself: both values stay choosable.
    assert facets.levels == {"beginner": 2, "advanced": 1}
    assert facets.categories == {python.id: 1, sql.id: 1}
    assert facets.prices == {"free": 1, "paid": 1}


def test_search_with_only_stop_words_lists_nothing_rather_than_failing():
    CourseFactory(title="Python for Data Analysis")
    assert titles("the and of") == []


def test_a_misspelling_finds_what_the_corrected_query_finds():
    # Deliberate change: misspelt words are corrected against title words and the corrected
    # query runs as a normal full-text search. So "machne lerning" now finds exactly what
    # "machine learning" finds (both words), where the old trigram match on titles also
    # listed "Deep Learning with PyTorch" and "Data Visualisation Principles" lower down.
    CourseFactory(title="Python for Data Analysis")
    CourseFactory(title="Machine Learning Foundations")
    CourseFactory(title="Data Visualisation Principles")
    CourseFactory(title="Deep Learning with PyTorch")
    assert titles("pyhton") == ["Python for Data Analysis"]
    assert titles("machne lerning") == ["Machine Learning Foundations"]


def test_search_counts_are_never_stale_after_a_new_course(django_capture_on_commit_callbacks):
    CourseFactory(title="Python for Data Analysis")
    assert get_search_backend().search("python", CatalogFilters(q="python")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        CourseFactory(title="Python for Finance")
    results = get_search_backend().search("python", CatalogFilters(q="python"))
    assert results.total == 2
    assert sorted(titles("python")) == ["Python for Data Analysis", "Python for Finance"]


def test_an_unpublished_course_leaves_cached_search_results_at_once(
    django_capture_on_commit_callbacks,
):
    course = CourseFactory(title="Python for Data Analysis")
    assert titles("python") == ["Python for Data Analysis"]
    with django_capture_on_commit_callbacks(execute=True):
        course.status = Course.Status.DRAFT
        course.save()
    assert titles("python") == []


def test_a_repeated_search_reads_only_the_page_of_courses(django_assert_num_queries):
    for n in range(15):
        CourseFactory(title=f"Python part {n}")
    get_search_backend().search("python", CatalogFilters(q="python"))
    with django_assert_num_queries(1):
        results = get_search_backend().search("python", CatalogFilters(q="python"), page=2)
    assert len(results.page.object_list) == 3


def test_later_pages_of_a_ranking_follow_the_first():
    for n in range(30):
        CourseFactory(title=f"Python part {n}", description="python " * (n % 4))
    backend = get_search_backend()
    pages = [
        [
            c.id
            for c in backend.search(
                "python", CatalogFilters(q="python"), page=p, per_page=5
            ).page.object_list
        ]
        for p in range(1, 7)
    ]
    everything = [pk for page in pages for pk in page]
    assert len(set(everything)) == 30


def test_an_enrolment_keeps_cached_search_work_but_refreshes_catalog_pages(learner):
    from core.cache_generations import current
    from learning.services import enroll

    course = CourseFactory(price_amount=0)
    catalog, search = current("catalog"), current("search")
    enroll(user=learner, course=course, source="free")
    assert current("catalog") != catalog
    assert current("search") == search


def _live_and_materialised(min_rating=None):
    from courses.search.facets import RATING_BANDS, facet_table, materialised_facet_table
    from courses.search.postgres import published_courses

    live = published_courses()
    if min_rating is not None:
        live = live.filter(rating_average__gte=min_rating)
    counted = materialised_facet_table(RATING_BANDS[min_rating])
    return sorted(facet_table(live).groups, key=repr), sorted(counted.groups, key=repr)


@pytest.mark.parametrize("min_rating", [None, Decimal("3"), Decimal("4"), Decimal("4.5")])
def test_materialised_facet_counts_follow_every_kind_of_write(min_rating):
    from tests.courses.factories import bulk_courses

    python, sql = CategoryFactory(slug="python"), CategoryFactory(slug="sql")
    courses = bulk_courses(5, category=python)  # a bulk insert
    first = CourseFactory(category=sql, level="beginner", price_amount=0)
    CourseFactory(category=sql, status="draft", published_at=None)
    first.level, first.price_amount = "advanced", 4900  # a save() that moves facet groups
    first.save()
    Course.objects.filter(pk=courses[0].pk).update(rating_average=Decimal("4.60"))  # bulk
    Course.objects.filter(pk=courses[1].pk).update(rating_average=Decimal("3.20"))
    Course.objects.filter(pk=courses[2].pk).update(status="draft")  # unpublished
    Course.objects.filter(pk=courses[3].pk).update(enrollment_count=7)  # not counted
    courses[4].delete()
    live, materialised = _live_and_materialised(min_rating)
    assert materialised == live


@pytest.mark.django_db(transaction=True)
def test_materialised_facet_counts_start_from_zero_after_a_flush():
    CourseFactory()
    # Between transactional tests Django empties every table with TRUNCATE.
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    CourseFactory(level="beginner")
    live, materialised = _live_and_materialised()
    assert materialised == live
