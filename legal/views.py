"""The public legal pages: the current version, and every older one by its number."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from legal.selectors import legal_page


def page(request: HttpRequest, kind: str) -> HttpResponse:
    return _render(request, kind, None)


def version(request: HttpRequest, kind: str, version: int) -> HttpResponse:
    return _render(request, kind, version)


def _render(request: HttpRequest, kind: str, number: int | None) -> HttpResponse:
    shown, versions = legal_page(kind, number)
    context = {"version": shown, "versions": versions, "is_current": shown == versions[0]}
    return render(request, "legal/page.html", context)
