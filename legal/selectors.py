"""Reads for the legal pages."""

from __future__ import annotations

from django.http import Http404

from legal.models import LegalDocument, LegalVersion


def current_version(kind: str) -> LegalVersion | None:
    return (
        LegalVersion.objects.filter(document__kind=kind)
        .select_related("document")
        .order_by("-number")
        .first()
    )


def legal_page(kind: str, number: int | None = None) -> tuple[LegalVersion, list[LegalVersion]]:
    """The asked (or current) version of a page and every version of it, newest first."""
    if kind not in LegalDocument.Kind.values:
        raise Http404("No such page.")
    versions = list(
        LegalVersion.objects.filter(document__kind=kind)
        .select_related("document")
        .only("id", "number", "published_at", "body", "document__kind", "document__title")
        .order_by("-number")
    )
    if not versions:
        raise Http404("Not published yet.")
    if number is None:
        return versions[0], versions
    shown = next((v for v in versions if v.number == number), None)
    if shown is None:
        raise Http404("No such version.")
    return shown, versions
