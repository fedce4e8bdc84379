"""Top-level URLs: each app's URLs are included under its namespace."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from config import sitemaps
from core import metrics as core_metrics
from core import views as core_views
from courses.views import catalog as catalog_views

admin.site.site_header = "Data School administration"
admin.site.site_title = "Data School admin"

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("courses/", include("courses.urls")),
    path("", include("purchases.urls")),
    path("", include("ratings.urls")),
    path("blog/", include("blog.urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

if settings.SERVE_MEDIA:
    # Uploaded avatars and covers; behind a CDN or object storage, turn SERVE_MEDIA off.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
