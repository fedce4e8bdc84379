"""Whole-page caching of reading pages for anonymous visitors, with each visitor's CSRF token.

A page is rendered once with a placeholder where the CSRF token goes (base.html puts it into
<body data-hx-headers>; forms into hidden inputs) and stored; every visitor then gets the
stored HTML with their own token put in, so no token is shared. Signed-in visitors, requests
with other query parameters than the page's own (its canonical filters and page numbers), and
requests with pending messages are never served from (or stored into) the shared cache. A
Redis outage (the cache fails open) means the page is simply rendered.

Each stored page carries the token of the cache generations it was built from
(core.cache_generations) and is served only while that token is current: when the data
changes, every page built from it is obsolete at once. The generations and the page are read
in one Redis round trip (the page's key names its generations, not their token, so it is
known before the token is). This is the one page cache of the site: home, catalog, search,
course pages, free preview lessons and the blog use it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from core import cache_generations

# Constant (not per process), so a page stored by one web process works in all of them.
# Letters and digits only, so HTML escaping leaves it unchanged.
CSRF_PLACEHOLDER = "csrftokenplaceholder7f3c9e1a5b2d4f60"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
PAGE_TIMEOUT = 300


def _is_page_number(value: str) -> bool:
    return value == "" or (value.isascii() and value.isdigit() and len(value) <= 5)


def is_cacheable(
    request: HttpRequest,
    *,
    page_params: Iterable[str] = (),
    params: Mapping[str, str] | None = None,
) -> bool:
    """Anonymous GETs with no pending message whose parameters are exactly the page's canonical
    `params` (each given once) plus short page numbers: anything else is rendered, not stored,
    so odd or hostile query strings cannot fill the cache."""
    params = params or {}
    pages = set(page_params)
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and set(request.GET) <= pages | set(params)
        and all(request.GET.getlist(name) == [value] for name, value in params.items())
        and all(_is_page_number(request.GET.get(name, "")) for name in pages)
        and not len(get_messages(request))
    )


def cached_page(
    request: HttpRequest,
    render_page: Callable[[dict], HttpResponse],
    *,
    generations: tuple[str, ...],
    page_params: Iterable[str] = (),
    params: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The page from `render_page(extra_context)`, shared between anonymous visitors."""
    if not is_cacheable(request, page_params=page_params, params=params):
        return render_page({})
    names = sorted({*page_params, *(params or {})})
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in names)
    digest = hashlib.sha256(f"{request.path}|{query}".encode()).hexdigest()[:32]
    key = f"page:{'.'.join(generations)}:{digest}"
    token, found = cache_generations.read(*generations, with_keys=[key])
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token:
        return HttpResponse(_with_token(stored[1], request))
    response = render_page({"csrf_token": CSRF_PLACEHOLDER})
    if response.status_code != 200:
        return response
    cache.set(key, (token, response.content), PAGE_TIMEOUT)
    response.content = _with_token(response.content, request)
    return response


def _with_token(html: bytes, request: HttpRequest) -> bytes:
    return html.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
