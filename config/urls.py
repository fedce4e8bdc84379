"""Top-level URLs: each app's URLs are included under its namespace."""

import posixpath

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import views as account_views
from config import sitemaps
from core import metrics as core_metrics
from core import views as core_views
from courses.views import catalog as catalog_views
from pages import urls as pages_urls

admin.site.site_header = "Data School administration"
admin.site.site_title = "Data School admin"

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("bench/hello/", core_views.bench_hello, name="bench_hello"),
    path("metrics", core_metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # allauth's login page, answering 429 when failed logins are rate limited (accounts.views).
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    # pages/urls.py adds the composed pages to the accounts and courses namespaces.
    path("account/", include((pages_urls.account_urlpatterns, "accounts"))),
    # Study pages first: "my-learning/" must win over the course page's "<slug>/".
    path("courses/", include("learning.urls")),
    path("courses/", include((pages_urls.course_urlpatterns, "courses"))),
    path("", include("purchases.urls")),
    path("", include("ratings.urls")),
    path("blog/", include("blog.urls")),
    path("certificates/", include("learning.certificates.urls")),
    path("legal/", include("legal.urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]


def serve_public_media(request: HttpRequest, path: str) -> HttpResponse:
    # Never lesson-files/: paid files uploaded before courses migration 0008 lived there, and
    # a copy left behind (or restored from an old backup) must not become public again.
    if posixpath.normpath(path).lstrip("/").startswith("lesson-files/"):
        raise Http404("Not a public file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # Uploaded avatars and covers; behind a CDN or object storage, turn SERVE_MEDIA off.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_public_media),
    ]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
