"""Reads for the home, catalog, search and category pages (flat query counts)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.core.cache import cache

from core import cache_generations
from courses.caching import CATALOG_GENERATION
from courses.models import Category, Course
from courses.search.backend import PER_PAGE, SearchResults, get_search_backend
from courses.search.filters import CatalogFilters, Sort
from courses.search.postgres import published_courses, with_card_fields

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "pl": "Polish",
}


@dataclass(frozen=True)
class CategoryOption:
    id: int
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the GET parameter
    label: str
    options: list[FacetOption]
    clear_url: str | None  # set when this facet is active


def catalog_categories() -> list[CategoryOption]:
    """Every category (a small table), cached with the catalog generation."""
    key = f"courses:categories:{cache_generations.current(CATALOG_GENERATION)}"
    categories = cache.get(key)
    if categories is None:
        categories = [
            CategoryOption(id=c.id, name=c.name, slug=c.slug, description=c.description)
            for c in Category.objects.order_by("name")
        ]
        cache.set(key, categories)
    return categories


def search_catalog(filters: CatalogFilters, *, page: int | str = 1) -> SearchResults:
    """One page of published courses for the filters, with facet counts."""
    if filters.category and filters.category_id is None:
        found = next((c for c in catalog_categories() if c.slug == filters.category), None)
        filters = replace(filters, category_id=found.id if found else 0)
    results = get_search_backend().search(filters.q, filters, page=page, per_page=PER_PAGE)
    if results.suggestion:
        # "Did you mean": the same filters with the corrected query, from the first page.
        results.suggestion_query = urlencode({**filters.as_params(), "q": results.suggestion})
    return results


def newest_courses(limit: int = 6) -> list[Course]:
    return list(with_card_fields(published_courses()).order_by("-published_at", "-id")[:limit])


def popular_courses(limit: int = 6) -> list[Course]:
    return list(
        with_card_fields(published_courses()).order_by(
            "-enrollment_count", "-rating_average", "-id"
        )[:limit]
    )


def build_facets(
    results: SearchResults,
    filters: CatalogFilters,
    categories: list[CategoryOption],
    *,
    base_url: str,
    params: dict[str, str],
    show_category: bool = True,
) -> list[Facet]:
    """Facet links with counts; each link keeps the other filters and drops the page number."""

    def url(name: str, value: str) -> str:
        changed = (
            {**params, name: value} if value else {k: v for k, v in params.items() if k != name}
        )
        return f"{base_url}?{urlencode(changed)}" if changed else base_url

    def facet(name: str, label: str, values: list[tuple[str, str, int]]) -> Facet:
        current = params.get(name, "")
        options = [
            FacetOption(label=text, count=count, url=url(name, value), selected=value == current)
            for value, text, count in values
            if count or value == current
        ]
        return Facet(name, label, options, url(name, "") if current else None)

    counts = results.facets
    facets = []
    if show_category:
        facets.append(
            facet(
                "category",
                "Category",
                [(c.slug, c.name, counts.categories.get(c.id, 0)) for c in categories],
            )
        )
    facets.append(
        facet(
            "level",
            "Level",
            [(value, text, counts.levels.get(value, 0)) for value, text in Course.Level.choices],
        )
    )
    facets.append(
        facet(
            "language",
            "Language",
            [
                (code, LANGUAGE_NAMES.get(code, code.upper()), n)
                for code, n in sorted(counts.languages.items())
            ],
        )
    )
    facets.append(
        facet(
            "price",
            "Price",
            [
                ("free", "Free", counts.prices.get("free", 0)),
                ("paid", "Paid", counts.prices.get("paid", 0)),
            ],
        )
    )
    return facets


def sort_choices(filters: CatalogFilters) -> list[tuple[str, str]]:
    """Relevance only makes sense with a query."""
    return [(v, t) for v, t in Sort.CHOICES if v != Sort.RELEVANCE or filters.q]
