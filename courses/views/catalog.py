"""Home, catalog, search and category pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from core.page_cache import cached_page
from courses.caching import CATALOG_GENERATION
from courses.forms import CatalogFilterForm
from courses.selectors.catalog import (
    CategoryOption,
    build_facets,
    catalog_categories,
    newest_courses,
    popular_courses,
    search_catalog,
    sort_choices,
)


def home(request: HttpRequest) -> HttpResponse:
    def render_page(extra: dict) -> HttpResponse:
        featured = render_to_string(
            "courses/_featured.html",
            {"newest": newest_courses(), "popular": popular_courses()},
            request=request,
        )
        return render(request, "home.html", {"featured_html": featured, **extra})

    return cached_page(request, render_page, generations=(CATALOG_GENERATION,))


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

    def render_page(extra: dict) -> HttpResponse:
        return _render_catalog(
            request,
            context={**context, **extra},
            filters=filters,
            params=params,
            categories=categories,
            category=category,
            page=page,
        )

    context = {
        "form": form,
        "filters": filters,
        "category": category,
        "ignored": form.ignored_fields(),
        "sort_choices": sort_choices(filters),
        "hidden_params": {k: v for k, v in params.items() if k not in {"q", "sort", "min_rating"}},
    }
    # Anonymous visitors share whole pages for canonical query strings (the filters as the
    # form understood them, plus a page number); anything else is rendered for the request.
    return cached_page(
        request,
        render_page,
        generations=(CATALOG_GENERATION,),
        params=params,
        page_params=["page"],
    )


def _render_catalog(
    request: HttpRequest,
    *,
    context: dict,
    filters,
    params: dict[str, str],
    categories: list[CategoryOption],
    category: CategoryOption | None,
    page: str,
) -> HttpResponse:
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
    template = "courses/category.html" if category else "courses/catalog.html"
    # page_obj also feeds the page's ItemList JSON-LD (templates/courses/catalog.html).
    return render(
        request, template, {**context, "results_html": results_html, "page_obj": results.page}
    )
