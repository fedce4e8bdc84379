"""Response headers Django does not set itself: a Content-Security-Policy."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Scripts only from this site (htmx is a static file; hx-* attributes are not scripts).
# Styles allow inline: progress and rating bars set their width in a style attribute, and the
# 500 page and the admin's sales summary carry a <style> block. Frames only for the video
# players of courses/video.py. Forms may continue to Stripe Checkout (a 303 after POST) and
# to the social login providers: browsers apply form-action to a form's redirects too.
DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": [
        "'self'",
        "https://checkout.stripe.com",
        "https://accounts.google.com",
        "https://github.com",
    ],
    "frame-ancestors": ["'none'"],
}


def build_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy (settings.CONTENT_SECURITY_POLICY, else the default above) to every
    response that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = build_policy(getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
