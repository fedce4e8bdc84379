"""Whole-page caching of course pages for anonymous visitors, with each visitor's CSRF token.

A page is rendered once with a placeholder where the CSRF token goes (base.html puts it into
<body hx-headers>; forms into hidden inputs) and stored under a key carrying the catalog
version; every visitor then gets the stored HTML with their own token put in, so no token is
shared. Signed-in visitors, requests with query parameters and requests with pending messages
are never served from (or stored into) the shared cache. A Redis outage (the cache fails open)
means the page is simply rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from courses.search import catalog_cache_version

# Constant (not per process), so a page stored by one web process works in all of them.
# Letters and digits only, so HTML escaping leaves it unchanged.
CSRF_PLACEHOLDER = "csrftokenplaceholder7f3c9e1a5b2d4f60"
PAGE_TIMEOUT = 300


def is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.GET
        and not len(get_messages(request))
    )


def page_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"courses:page:{catalog_cache_version()}:{digest}"


def cached_page(request: HttpRequest, render_page: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The page from `render_page(extra_context)`, shared between anonymous visitors."""
    if not is_cacheable(request):
        return render_page({})
    key = page_key(request)
    html = cache.get(key)
    if isinstance(html, str):
        response = HttpResponse(html)
    else:
        response = render_page({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200:
            return response
        cache.set(key, response.content.decode(response.charset), PAGE_TIMEOUT)
    response.content = response.content.replace(
        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
    )
    return response
