"""Template context every page needs: the site's name and the header search query."""

from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": "Data School",
        "header_query": request.GET.get("q", "")[:200] if request.method == "GET" else "",
    }
