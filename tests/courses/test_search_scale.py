"""Search at catalog scale: stored per-word counts and rankings, capped counts, typo correction
against title words, "did you mean". Nothing here may read every match of a query."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course
from courses.search import facets, postgres, ranking
from courses.search.backend import get_search_backend
from courses.search.filters import CatalogFilters
from tests.courses.factories import bulk_courses
from tests.factories import CategoryFactory, CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def search(query: str, **kwargs):
    filters = kwargs.pop("filters", {})
    return get_search_backend().search(query, CatalogFilters(q=query, **filters), **kwargs)


def titles(query: str) -> list[str]:
    return [course.title for course in search(query).page.object_list]


def _live_and_stored(lexeme: str, min_rating=None):
    from django.contrib.postgres.search import SearchQuery

    live = postgres.published_courses().filter(search_vector=SearchQuery(lexeme, search_type="raw"))
    if min_rating is not None:
        live = live.filter(rating_average__gte=min_rating)
    stored = facets.word_facet_table(lexeme, facets.RATING_BANDS[min_rating])
    return sorted(facets.facet_table(live).groups, key=repr), sorted(stored.groups, key=repr)


@pytest.mark.parametrize("min_rating", [None, Decimal("4")])
def test_stored_word_counts_follow_every_kind_of_write(min_rating):
    python, sql = CategoryFactory(slug="python"), CategoryFactory(slug="sql")
    courses = bulk_courses(5, category=python)  # bulk insert, lessons say "Python data"
    renamed = CourseFactory(title="Python basics", category=sql, level="beginner")
    renamed.title = "Spreadsheets"  # a rename takes the word away from this course
    renamed.save()
    LessonFactory(section__course=renamed, title="Calling Python from Excel")  # and back
    CourseFactory(title="Python secrets", status="draft", published_at=None)
    Course.objects.filter(pk=courses[0].pk).update(rating_average=Decimal("4.60"))
    Course.objects.filter(pk=courses[1].pk).update(status="draft")
    Course.objects.filter(pk=courses[2].pk).update(enrollment_count=7)  # not counted
    courses[3].delete()
    live, stored = _live_and_stored("python", min_rating)
    assert stored == live
    assert sum(group.n for group in live) > 0


def test_a_one_word_search_is_counted_exactly_from_stored_counts(django_assert_num_queries):
    bulk_courses(4, category=CategoryFactory(slug="python"))
    results = search("python", filters={"level": "beginner"})
    assert results.total == 2  # n = 0 and 3 of the four are beginner courses
    assert not results.total_capped
    assert results.facets.levels == {"beginner": 2, "intermediate": 1, "advanced": 1}


def test_a_several_word_search_counts_up_to_a_cap(monkeypatch):
    monkeypatch.setattr(facets, "SAMPLE_LIMIT", 3)
    for n in range(5):
        CourseFactory(title=f"Machine learning part {n}")
    results = search("machine learning")
    assert results.total == 3
    assert results.total_capped
    assert results.facets.capped
    # Pages stop at the cap too (at 1,000 that is 84 pages, far past anyone's reading).
    assert len(results.page.object_list) == 3


def test_a_capped_total_reads_as_a_lower_bound_on_the_page(client, monkeypatch):
    monkeypatch.setattr(facets, "SAMPLE_LIMIT", 3)
    for n in range(5):
        CourseFactory(title=f"Machine learning part {n}")
    html = client.get(reverse("courses:catalog"), {"q": "machine learning"}).content.decode()
    assert "3+ courses" in html
    assert "or more course" in html  # the facet counts say so to screen readers too


def test_a_filter_absent_from_the_capped_sample_is_counted_on_its_own(monkeypatch):
    monkeypatch.setattr(facets, "SAMPLE_LIMIT", 3)
    for n in range(6):
        CourseFactory(title=f"Machine learning part {n}", level="beginner")
    CourseFactory(title="Machine learning at depth", level="advanced")
    results = search("machine learning", filters={"level": "advanced"})
    assert [c.title for c in results.page.object_list] == ["Machine learning at depth"]
    assert results.total == 1


def test_ranking_reads_candidates_but_falls_back_to_every_match(monkeypatch):
    monkeypatch.setattr(ranking, "CANDIDATES_PER_WORD", 2)
    monkeypatch.setattr(ranking, "ALL_WORDS_CANDIDATES", 2)
    for n in range(4):
        CourseFactory(title=f"Python part {n}")
    # A word only in lesson titles has no stored ranking: every match is ranked instead.
    LessonFactory(section__course=CourseFactory(title="Data Engineering"), title="Python jobs")
    found = titles("python")
    assert len(found) == 5
    assert found[-1] == "Data Engineering"  # a title match outranks a lesson title


def test_a_misspelt_word_is_corrected_to_the_most_common_close_title_word():
    CourseFactory(title="Tables for beginners")
    # "tables" is closer to "tableu" by trigrams (0.56 against 0.5), "tableau" far more common.
    for n in range(15):
        CourseFactory(title=f"Tableau dashboards {n}")
    results = search("tableu")
    assert results.suggestion == "tableau"
    assert results.typo_tolerant
    assert results.total == 15


def test_corrected_matches_are_mixed_in_when_exact_matches_are_few():
    CourseFactory(title="Streaming with Kafka")
    CourseFactory(title="Python for Data Analysis")
    results = search("pyhton or kafka")
    # "pyhton" alone finds nothing; with "kafka" one course: too few, so "python" joins in.
    assert results.suggestion == "python or kafka"
    assert results.typo_tolerant
    assert sorted(c.title for c in results.page.object_list) == [
        "Python for Data Analysis",
        "Streaming with Kafka",
    ]


def test_enough_exact_matches_are_not_diluted_by_corrections():
    for n in range(12):
        CourseFactory(title=f"Kafka streams {n}")
    CourseFactory(title="Python for Data Analysis")
    results = search("pyhton or kafka")
    assert results.total == 12
    assert not results.typo_tolerant
    assert results.suggestion == ""


def test_words_of_drafts_are_never_suggested():
    CourseFactory(title="Kubernetes secrets", status="draft", published_at=None)
    CourseFactory(title="Python for Data Analysis")
    results = search("kubernetis")
    assert results.suggestion == ""
    assert results.total == 0


def test_excluded_words_are_not_corrected():
    CourseFactory(title="Deep learning with Keras")
    CourseFactory(title="Deep learning with PyTorch")
    results = search('"deep learning" -pytroch')
    assert results.suggestion == ""
    assert results.total == 2


def test_a_phrase_with_an_exclusion_ranks_from_candidates():
    CourseFactory(title="Deep learning with Keras")
    CourseFactory(title="Deep learning with PyTorch")
    CourseFactory(title="Learning deep in the forest")
    assert titles('"deep learning" -pytorch') == ["Deep learning with Keras"]


def test_did_you_mean_links_to_the_corrected_query_with_the_same_filters(client):
    CourseFactory(title="Python for Data Analysis", level="beginner")
    html = client.get(
        reverse("courses:catalog"), {"q": "pyhton", "level": "beginner"}
    ).content.decode()
    assert 'Did you mean <a href="?q=python&amp;level=beginner">python</a>?' in html


def test_a_correct_query_offers_no_suggestion(client):
    CourseFactory(title="Python for Data Analysis")
    html = client.get(reverse("courses:catalog"), {"q": "python"}).content.decode()
    assert "Did you mean" not in html


def test_a_one_word_ranking_read_from_stored_rankings_equals_ts_rank():
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    CourseFactory(title="Data basics", subtitle="Some python")
    CourseFactory(title="Python", subtitle="All python, python everywhere")
    CourseFactory(title="Learn Python")
    CourseFactory(title="Spreadsheets", description="Python in a footnote.")
    query = SearchQuery("python", search_type="raw")
    by_ts_rank = [
        course.title
        for course in postgres.published_courses()
        .filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-id")
    ]
    assert titles("python") == by_ts_rank
    assert by_ts_rank == ["Python", "Learn Python", "Data basics", "Spreadsheets"]


def test_stored_rankings_follow_a_rename():
    course = CourseFactory(title="Python basics")
    course.title = "Spreadsheet basics"
    course.save()
    CourseFactory(title="Python for Data Analysis")
    assert titles("python") == ["Python for Data Analysis"]
    assert titles("spreadsheet") == ["Spreadsheet basics"]


@pytest.mark.parametrize(
    "query",
    ["'", '"', "-", "or", "a & b", "!!!", "c++", "o'reilly pyton", "-python", "ünïcödé tést"],
)
def test_odd_queries_render_a_page(client, query):
    CourseFactory(title="Python for Data Analysis")
    response = client.get(reverse("courses:catalog"), {"q": query, "level": "beginner"})
    assert response.status_code == 200
