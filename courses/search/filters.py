"""What a visitor asks the catalog for: filters, sort orders, and applying them to a queryset."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import QuerySet

from courses.models import Category, Course


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_LOW = "price_low"
    PRICE_HIGH = "price_high"
    RATING = "rating"
    POPULAR = "popular"

    CHOICES = [
        (RELEVANCE, "Relevance"),
        (NEWEST, "Newest"),
        (PRICE_LOW, "Price: low to high"),
        (PRICE_HIGH, "Price: high to low"),
        (RATING, "Highest rated"),
        (POPULAR, "Most popular"),
    ]


ORDERINGS = {
    Sort.NEWEST: ("-published_at", "-id"),
    Sort.PRICE_LOW: ("price_amount", "-published_at", "-id"),
    Sort.PRICE_HIGH: ("-price_amount", "-published_at", "-id"),
    Sort.RATING: ("-rating_average", "-rating_count", "-id"),
    Sort.POPULAR: ("-enrollment_count", "-published_at", "-id"),
}


@dataclass(frozen=True)
class CatalogFilters:
    """What the visitor asked for; every field already validated (see courses.forms)."""

    q: str = ""
    category: str = ""  # category slug
    # The slug's id when the caller already knows it (the catalog views do), so neither the
    # facet count nor the page query has to join categories; not part of links or keys.
    category_id: int | None = field(default=None, compare=False)
    level: str = ""
    language: str = ""
    price: str = ""  # "free", "paid" or ""
    min_rating: Decimal | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort and (self.sort != Sort.RELEVANCE or self.q):
            return self.sort
        return Sort.RELEVANCE if self.q else Sort.NEWEST

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as GET parameters (for shareable links and cache keys)."""
        values = {
            "q": self.q,
            "category": self.category,
            "level": self.level,
            "language": self.language,
            "price": self.price,
            "min_rating": "" if self.min_rating is None else str(self.min_rating),
            "sort": self.sort,
        }
        return {key: value for key, value in values.items() if value}


def apply_filters(queryset: QuerySet[Course], filters: CatalogFilters) -> QuerySet[Course]:
    if filters.category_id is not None:
        queryset = queryset.filter(category_id=filters.category_id)
    elif filters.category:
        queryset = queryset.filter(category__slug=filters.category)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.price == "free":
        queryset = queryset.filter(price_amount=0)
    elif filters.price == "paid":
        queryset = queryset.filter(price_amount__gt=0)
    return queryset


def with_category_id(filters: CatalogFilters) -> CatalogFilters:
    """Filters with the category slug's id filled in (0, matching nothing, for an unknown slug)."""
    if not filters.category or filters.category_id is not None:
        return filters
    found = Category.objects.filter(slug=filters.category).values_list("id", flat=True).first()
    return replace(filters, category_id=found or 0)
