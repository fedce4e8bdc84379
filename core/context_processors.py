"""Template context every page needs: the site's name, the header search query, SEO defaults."""

from django.http import HttpRequest

from core.seo import canonical_url, default_image_url


def site(request: HttpRequest) -> dict:
    return {
        "site_name": "Data School",
        "header_query": request.GET.get("q", "")[:200] if request.method == "GET" else "",
    }


def seo(request: HttpRequest) -> dict:
    """The page's canonical URL (no tracking parameters) and the default link-preview image."""
    return {
        "canonical_url": canonical_url(request.path, dict(request.GET.lists())),
        "default_og_image": default_image_url(),
    }
