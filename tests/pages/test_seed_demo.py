"""seed_demo: a realistic demo catalog, idempotent, and fast synthetic courses for benchmarks."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Avg, Count

from accounts.models import User
from courses.demo_content import DEMO_CROWD_DOMAIN
from courses.models import Category, Course, Lesson
from courses.search.backend import get_search_backend
from courses.search.filters import CatalogFilters
from learning.models import Enrollment
from ratings.models import Rating

pytestmark = pytest.mark.django_db


def seed(*args) -> None:
    call_command("seed_demo", *args, verbosity=0)


def row_counts() -> tuple[int, ...]:
    return (
        Category.objects.count(),
        Course.objects.count(),
        Lesson.objects.count(),
        Enrollment.objects.count(),
        EmailAddress.objects.count(),
        Rating.objects.count(),
    )


def public_summary(course: Course) -> tuple[Decimal, int]:
    """The course's average and count computed here from its public ratings."""
    summary = Rating.objects.public().filter(course=course).aggregate(a=Avg("stars"), n=Count("id"))
    if not summary["n"]:
        return Decimal("0.00"), 0
    average = Decimal(str(summary["a"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return average, summary["n"]


def test_seed_demo_creates_a_catalog_with_free_paid_video_and_preview_lessons():
    seed()
    assert Category.objects.count() == 8
    assert Course.objects.filter(status="published").count() == 40
    assert Course.objects.filter(price_amount=0).exists()
    assert Course.objects.filter(price_amount=4900, currency="EUR").exists()
    assert Lesson.objects.filter(kind="video").exclude(video_url="").exists()
    assert Lesson.objects.filter(is_preview=True).exists()
    assert all(course.sections.count() == 3 for course in Course.objects.all()[:5])


def test_seed_demo_creates_verified_demo_learners_with_enrolments():
    seed()
    address = EmailAddress.objects.get(email="learner@dataschool.local")
    assert address.verified and address.primary
    assert Enrollment.objects.filter(user__email="learner@dataschool.local").count() == 3


def test_seed_demo_twice_adds_nothing():
    seed()
    before = row_counts()
    seed()
    assert row_counts() == before


def test_seeded_courses_are_searchable():
    seed()
    results = get_search_backend().search("pyhton", CatalogFilters(q="pyhton"))
    assert "Python for Data Analysis" in [c.title for c in results.page.object_list]


def test_synthetic_courses_are_created_in_bulk_with_search_vectors():
    seed("--courses", "250")
    synthetic = Course.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 250
    assert not synthetic.filter(search_vector__isnull=True).exists()
    assert Lesson.objects.filter(course__in=synthetic).count() == 750
    results = get_search_backend().search("part", CatalogFilters(q="part"))
    assert results.total == 250  # lesson titles ("… part 1") are in the vectors


def test_synthetic_seeding_tops_up_to_the_requested_number():
    seed("--courses", "100")
    seed("--courses", "150")
    seed("--courses", "150")
    assert Course.objects.filter(slug__startswith="synthetic-").count() == 150


def test_seed_demo_attaches_real_files_to_a_paid_lesson_and_a_free_preview(client):
    seed()
    paid = Lesson.objects.get(course__slug="pandas-in-depth", file__endswith=".csv")
    preview = Lesson.objects.get(course__slug="sql-for-marketers", file__endswith=".pdf")
    assert not paid.is_preview and paid.course.price_amount > 0
    assert preview.is_preview and preview.course.price_amount > 0
    assert paid.file.read().startswith(b"date,store_id,city")
    assert preview.file.read().startswith(b"%PDF-")

    # Anyone may take the preview's cheat sheet; the dataset only its enrolled learner.
    assert client.get(preview.file.url).status_code == 200
    client.force_login(User.objects.get(email="learner@dataschool.local"))
    assert client.get(paid.file.url).status_code == 404
    client.force_login(User.objects.get(email="learner2@dataschool.local"))
    response = client.get(paid.file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="store-sales-2025.csv"'


def test_seed_demo_again_keeps_the_demo_files_and_restores_a_lost_one():
    seed()
    paid = Lesson.objects.get(course__slug="pandas-in-depth", file__endswith=".csv")
    preview = Lesson.objects.get(course__slug="sql-for-marketers", file__endswith=".pdf")
    paid.file.storage.delete(paid.file.name)
    seed()
    assert Lesson.objects.get(pk=preview.pk).file.name == preview.file.name
    restored = Lesson.objects.get(pk=paid.pk).file
    assert restored.name != paid.file.name
    assert restored.storage.exists(restored.name)


def test_every_seeded_average_is_the_aggregate_of_the_reviews_on_the_page(client):
    seed()
    for course in Course.objects.all():
        average, count = public_summary(course)
        assert count >= 3, course.slug
        assert (course.rating_average, course.rating_count) == (average, count), course.slug

        page = client.get(course.get_absolute_url()).content.decode()

        assert f"<strong data-rating-average>{average}</strong>" in page, course.slug
        assert f'<p class="muted" data-rating-count>{count} rating' in page, course.slug
        shown = Rating.objects.public().filter(course=course).order_by("-created_at", "-id")[:10]
        assert len(re.findall(r'<article class="review"', page)) == len(shown), course.slug
        for review in shown:
            assert f'id="review-{review.pk}"' in page, course.slug
        bars = [int(n) for n in re.findall(r'rating-bucket-count">(\d+)<', page)]
        assert sum(bars) == count, course.slug


def test_demo_reviewers_are_enrolled_fake_learners_who_cannot_log_in():
    seed()
    crowd = User.objects.filter(email__endswith=f"@{DEMO_CROWD_DOMAIN}")
    assert 15 <= crowd.count() <= 30
    assert not any(user.has_usable_password() for user in crowd)
    assert not Rating.objects.exclude(user__in=crowd).exists()
    for rating in Rating.objects.all()[:50]:
        assert Enrollment.objects.filter(
            user=rating.user, course=rating.course, revoked_at=None
        ).exists()
    assert Rating.objects.exclude(body="").exists()  # reviews, not only stars


def test_seeding_again_replaces_an_invented_average_with_the_real_one():
    seed()
    course = Course.objects.get(slug="sql-fundamentals")
    real = (course.rating_average, course.rating_count)
    Course.objects.filter(pk=course.pk).update(rating_average=Decimal("4.80"), rating_count=166)
    seed()
    course.refresh_from_db()
    assert (course.rating_average, course.rating_count) == real


def test_synthetic_course_averages_are_the_aggregate_of_their_ratings():
    seed("--courses", "200")
    synthetic = Course.objects.filter(slug__startswith="synthetic-")
    assert Rating.objects.filter(course__in=synthetic).count() > 200
    for course in synthetic:
        assert (course.rating_average, course.rating_count) == public_summary(course)
