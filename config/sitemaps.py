"""sitemap.xml (published courses and blog posts) and robots.txt, on the host that was asked.

A project-level module: the sitemap spans apps, and blog never imports courses.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from blog.models import Post
from courses.models import Course


class HostSitemap(Sitemap):
    """Builds URLs on the request's host rather than the sites framework's Site row."""

    def __init__(self, domain: str) -> None:
        self.domain = domain

    def get_domain(self, site=None) -> str:
        return self.domain


class StaticSitemap(HostSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["home", "courses:catalog", "blog:index"]

    def location(self, item: str) -> str:
        return reverse(item)


class CourseSitemap(HostSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Course.objects.filter(status=Course.Status.PUBLISHED)
            .only("slug", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, course: Course):
        return course.updated_at


class PostSitemap(HostSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Post.objects.public().only("slug", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, post: Post):
        return post.updated_at


SITEMAPS = {"static": StaticSitemap, "courses": CourseSitemap, "posts": PostSitemap}


@require_GET
@cache_control(max_age=3600)
def sitemap(request: HttpRequest) -> HttpResponse:
    domain = request.get_host()
    sitemaps = {name: cls(domain) for name, cls in SITEMAPS.items()}
    return sitemap_views.sitemap(request, sitemaps=sitemaps)


@require_GET
@cache_control(max_age=86400)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /accounts/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
