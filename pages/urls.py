"""The composed pages, added to the namespaces their users know (config/urls.py mounts them).

The course page keeps its name courses:detail and the delete-account page accounts:delete,
with the same paths, while their views live here: courses and accounts never import upward.
"""

from django.urls import path

from accounts import urls as accounts_urls
from courses import urls as courses_urls
from pages import views

# Catalog patterns first: "category/<slug>/" must win over "<slug>/".
course_urlpatterns = [
    *courses_urls.urlpatterns,
    path("<slug:slug>/", views.course_detail, name="detail"),
]

account_urlpatterns = [
    *accounts_urls.urlpatterns,
    path("delete/", views.delete_account, name="delete"),
]
