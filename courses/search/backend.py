"""The search backend interface and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page

from courses.search.filters import CatalogFilters

PER_PAGE = 12


@dataclass(frozen=True)
class FacetCounts:
    """Courses per value of each facet, for the current query and the other active filters."""

    categories: dict[int, int] = field(default_factory=dict)  # category id → count
    levels: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    prices: dict[str, int] = field(default_factory=dict)  # "free"/"paid" → count
    capped: bool = False  # counted from a sample: each count is a lower bound ("40+")


@dataclass
class SearchResults:
    page: Page  # of Course objects; each has .headline (safe HTML or "") and .lesson_count
    facets: FacetCounts
    total: int
    # True when the total is a lower bound: several words are counted up to a cap.
    total_capped: bool = False
    # True when courses matching a corrected spelling are mixed in (few or no exact matches).
    typo_tolerant: bool = False
    # The corrected query ("machine learning" for "machne lerning") when it finds more.
    suggestion: str = ""
    suggestion_query: str = ""  # GET parameters of the suggestion's page (set by the selector)


class SearchBackend:
    """Interface: find published courses for a query and filters."""

    def search(
        self, query: str, filters: CatalogFilters, *, page: int | str = 1, per_page: int = PER_PAGE
    ) -> SearchResults:
        raise NotImplementedError


def get_search_backend() -> SearchBackend:
    from courses.search.postgres import PostgresSearchBackend

    return PostgresSearchBackend()
