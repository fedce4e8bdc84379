"""The catalog's pages. The course page itself (courses:detail) is composed by pages.views and
added to this namespace in pages/urls.py, so courses never imports the apps above it."""

from django.urls import path

from courses.views import catalog

app_name = "courses"

urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("category/<slug:slug>/", catalog.category, name="category"),
]
