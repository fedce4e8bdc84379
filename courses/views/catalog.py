"""Home, catalog, search and category pages."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from courses.forms import CatalogFilterForm
from courses.search import catalog_cache_version
from courses.selectors.catalog import (
    CategoryOption,
    build_facets,
    catalog_categories,
    newest_courses,
    popular_courses,
    search_catalog,
    sort_choices,
)

FRAGMENT_TIMEOUT = 300


def _cacheable(request: HttpRequest) -> bool:
    return not request.user.is_authenticated


def _fragment_key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"courses:fragment:{catalog_cache_version()}:{digest}"


def home(request: HttpRequest) -> HttpResponse:
    key = _fragment_key("home") if _cacheable(request) else None
    featured = cache.get(key) if key else None
    if featured is None:
        featured = render_to_string(
            "courses/_featured.html",
            {"newest": newest_courses(), "popular": popular_courses()},
            request=request,
        )
        if key:
            cache.set(key, featured, FRAGMENT_TIMEOUT)
    return render(request, "home.html", {"featured_html": featured})


def catalog(request: HttpRequest) -> HttpResponse:
    return _catalog_page(request, category=None)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = next((c for c in catalog_categories() if c.slug == slug), None)
    if found is None:
        raise Http404("No such category.")
    return _catalog_page(request, category=found)


def _catalog_page(request: HttpRequest, *, category: CategoryOption | None) -> HttpResponse:
    categories = catalog_categories()
    data = request.GET.copy()
    if category is not None:
        data["category"] = category.slug
    form = CatalogFilterForm(data, category_slugs=[(c.slug, c.name) for c in categories])
    filters = form.filters()
    params = filters.as_params()
    if category is not None:
        params.pop("category", None)
    page = request.GET.get("page", "1")

    context = {
        "form": form,
        "filters": filters,
        "category": category,
        "ignored": form.ignored_fields(),
        "sort_choices": sort_choices(filters),
        "hidden_params": {k: v for k, v in params.items() if k not in {"q", "sort", "min_rating"}},
    }
    # Anonymous pages are cached; odd page values (not small numbers) are simply not cached.
    key = None
    if _cacheable(request) and page.isdigit() and len(page) <= 5:
        key = _fragment_key(request.path, urlencode(sorted(params.items())), page)
    results_html = cache.get(key) if key else None
    if results_html is None:
        results = search_catalog(filters, page=page)
        results_html = render_to_string(
            "courses/_catalog_results.html",
            {
                **context,
                "results": results,
                "page_obj": results.page,
                "facets": build_facets(
                    results,
                    filters,
                    categories,
                    base_url=request.path,
                    params=params,
                    show_category=category is None,
                ),
                "page_query": urlencode(params),
            },
            request=request,
        )
        if key:
            cache.set(key, results_html, FRAGMENT_TIMEOUT)
    template = "courses/category.html" if category else "courses/catalog.html"
    return render(request, template, {**context, "results_html": results_html})
