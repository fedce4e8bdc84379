"""Reads for the reviews pages and the reviews block on a course page; flat query counts."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from accounts.models import User
from courses.models import Course
from learning.selectors import has_access
from ratings.models import Rating, ReviewHelpful, ReviewReport

REVIEWS_PER_PAGE = 10
SORTS = {
    "newest": ("-created_at", "-id"),
    "helpful": ("-helpful_count", "-created_at", "-id"),
}
SORT_LABELS = {"newest": "Newest", "helpful": "Most helpful"}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class StarBucket:
    stars: int
    count: int
    percent: int


@dataclass
class ReviewsBlock:
    """All a reviews section needs, so that its template triggers no query."""

    course: Course
    distribution: list[StarBucket]
    page: Page
    sort: str
    own_rating: Rating | None = None
    can_rate: bool = False
    helpful_ids: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(bucket.count for bucket in self.distribution)

    @property
    def sort_options(self) -> list[tuple[str, str]]:
        return list(SORT_LABELS.items())


def can_rate(*, user: User, course: Course) -> bool:
    """A learner may rate a course while their enrollment in it is active."""
    return has_access(user=user, course=course)


def reviewable_courses() -> QuerySet[Course]:
    """Courses whose reviews are public."""
    return Course.objects.filter(status=Course.Status.PUBLISHED)


def _clean_sort(value: str | None) -> str:
    """The requested order if it is one we offer; anything else falls back to newest."""
    return value if value in SORTS else DEFAULT_SORT


def visible_reviews(*, course: Course, sort: str = DEFAULT_SORT) -> QuerySet[Rating]:
    return (
        Rating.objects.public()
        .filter(course=course)
        .select_related("user")
        .order_by(*SORTS[_clean_sort(sort)])
    )


def rating_distribution(*, course: Course) -> list[StarBucket]:
    """Visible ratings per star value, 5 down to 1, with whole percentages (one query)."""
    counts = dict(
        Rating.objects.public()
        .filter(course=course)
        .values_list("stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counts.values())
    return [
        StarBucket(
            stars=stars,
            count=counts.get(stars, 0),
            percent=round(100 * counts.get(stars, 0) / total) if total else 0,
        )
        for stars in range(Rating.MAX_STARS, Rating.MIN_STARS - 1, -1)
    ]


def own_rating(*, user: User, course: Course) -> Rating | None:
    if not user.is_authenticated:
        return None
    return Rating.objects.filter(user=user, course=course).first()


def has_reported(*, user: User, rating: Rating) -> bool:
    return ReviewReport.objects.filter(reporter=user, rating=rating).exists()


def helpful_rating_ids(*, user: User, ratings) -> set[int]:
    """Which of these ratings the user has already marked helpful (one query)."""
    if not user.is_authenticated:
        return set()
    ids = [rating.pk for rating in ratings]
    if not ids:
        return set()
    return set(
        ReviewHelpful.objects.filter(user=user, rating_id__in=ids).values_list(
            "rating_id", flat=True
        )
    )


def reviews_block(
    *, course: Course, user: User, sort: str | None = None, page_number=1
) -> ReviewsBlock:
    """The summary, distribution, one page of reviews and the viewer's own state."""
    sort = _clean_sort(sort)
    distribution = rating_distribution(course=course)
    paginator = Paginator(visible_reviews(course=course, sort=sort), REVIEWS_PER_PAGE)
    # The distribution already counted the visible reviews: no second COUNT query.
    paginator.count = sum(bucket.count for bucket in distribution)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    return ReviewsBlock(
        course=course,
        distribution=distribution,
        page=page,
        sort=sort,
        own_rating=own_rating(user=user, course=course),
        can_rate=can_rate(user=user, course=course),
        helpful_ids=helpful_rating_ids(user=user, ratings=page.object_list),
    )
