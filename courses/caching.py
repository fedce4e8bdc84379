"""The catalog's cache generations (core.cache_generations).

"catalog" is carried by every cached page that shows courses (home, catalog, search, course
pages, preview lessons): any change to courses, categories, sections, lessons, enrolments or
ratings replaces it. "search" is carried by cached facet tables and relevance rankings, which
depend on less (not on enrolment counts or stars, which change all the time): a busy day of
sign-ups does not make every search count all its matches again.
"""

from core import cache_generations

CATALOG_GENERATION = "catalog"
SEARCH_GENERATION = "search"


def bump_catalog_version(*, search: bool = True) -> None:
    """Make cached catalog pages (and, unless search=False, cached search work) obsolete."""
    if search:
        cache_generations.bump(CATALOG_GENERATION, SEARCH_GENERATION)
    else:
        cache_generations.bump(CATALOG_GENERATION)


def obsolete_catalog_caches(*, search: bool = True) -> None:
    """For a write in a transaction: obsolete now and again after commit."""
    names = (CATALOG_GENERATION, SEARCH_GENERATION) if search else (CATALOG_GENERATION,)
    cache_generations.bump_on_change(*names)
