"""Search-engine and link-preview data: canonical URLs and schema.org JSON-LD.

Pure functions of objects a page already has (no queries), so a view that is restructured
keeps its structured data as long as it passes the same objects to the template.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

SITE_NAME = "Data School"
DEFAULT_IMAGE = "img/og-default.png"  # 1200x630, under static/

# Query parameters that only say where a visitor came from: never part of a canonical URL.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "_ga",
        "_gl",
        "yclid",
        "twclid",
        "li_fat_id",
    }
)

# As django.utils.html.json_script: inside <script>, "</script>" or "<!--" in a value must
# not end the element, so <, > and & are written as JSON escapes (same data once parsed).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(path_or_url: str) -> str:
    """An absolute URL on SITE_URL (the configured host, never the request's Host header)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    if path_or_url.startswith("//"):
        return settings.SITE_URL.split(":", 1)[0] + ":" + path_or_url
    return settings.SITE_URL + "/" + path_or_url.lstrip("/")


def canonical_url(path: str, query: Mapping[str, Iterable[str]] | None = None) -> str:
    """`path` on SITE_URL with the query minus tracking parameters, in a stable order."""
    kept = sorted(
        (name, value)
        for name, values in (query or {}).items()
        if name not in TRACKING_PARAMS and not name.lower().startswith("utm_")
        for value in values
    )
    url = absolute_url(path)
    return f"{url}?{urlencode(kept)}" if kept else url


def default_image_url() -> str:
    return absolute_url(static(DEFAULT_IMAGE))


def jsonld_script(data: Mapping[str, Any]) -> SafeString:
    """<script type="application/ld+json"> that no value can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(  # noqa: S308 - escaped above: no <, > or & survives in the text
        '<script type="application/ld+json">' + text.translate(_JSON_SCRIPT_ESCAPES) + "</script>"
    )


def organization() -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": settings.SITE_URL + "/",
        "sameAs": settings.SITE_URL + "/",
        "logo": absolute_url(static("img/logo.svg")),
    }


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration ("PT1H30M"), as schema.org's courseWorkload expects."""
    hours, rest = divmod(max(int(minutes), 0), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _price(amount_minor: int) -> str:
    return str((Decimal(amount_minor) / 100).quantize(Decimal("0.01")))


def course_data(course, *, minutes: int | None = None) -> dict[str, Any]:
    """schema.org Course with what Google documents for Course info rich results."""
    url = absolute_url(course.get_absolute_url())
    workload = minutes if minutes is not None else course.duration_minutes
    instance: dict[str, Any] = {"@type": "CourseInstance", "courseMode": "Online"}
    if workload:
        # Self-paced: Google asks for the total workload rather than a schedule.
        instance["courseWorkload"] = iso_duration(workload)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url,
        "url": url,
        "name": course.title,
        "description": course.subtitle or course.description[:500] or course.title,
        "provider": organization(),
        "inLanguage": course.language,
        "image": absolute_url(course.cover.url) if course.cover else default_image_url(),
        "offers": [
            {
                "@type": "Offer",
                "category": "Free" if course.is_free else "Paid",
                "price": _price(course.price_amount),
                "priceCurrency": course.currency,
                "url": url,
            }
        ],
        "hasCourseInstance": [instance],
    }
    if course.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(course.rating_average),
            "ratingCount": course.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return data


def blog_posting_data(post) -> dict[str, Any]:
    url = absolute_url(post.get_absolute_url())
    author = post.author
    published = post.publish_at or post.created_at
    return {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": post.title[:110],
        "description": post.excerpt or post.title,
        "datePublished": published.isoformat(timespec="seconds"),
        "dateModified": max(post.updated_at, published).isoformat(timespec="seconds"),
        "author": (
            {"@type": "Person", "name": author.public_name}
            if author is not None
            else {"@type": "Organization", "name": SITE_NAME, "url": settings.SITE_URL + "/"}
        ),
        "publisher": organization(),
        "image": [absolute_url(post.cover.url) if post.cover else default_image_url()],
    }


def item_list_data(urls: Iterable[str], *, start: int = 1) -> dict[str, Any]:
    """schema.org ItemList of ListItem (position, url): Google's Course list (summary page)."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": absolute_url(url)}
            for position, url in enumerate(urls, start=start)
        ],
    }
