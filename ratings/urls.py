from django.urls import path

from ratings import views

app_name = "ratings"

urlpatterns = [
    path("courses/<slug:slug>/rate/", views.rate, name="rate"),
    path("courses/<slug:slug>/list/", views.review_list, name="list"),
    path("ratings/<int:pk>/edit/", views.edit, name="edit"),
    path("ratings/<int:pk>/delete/", views.delete, name="delete"),
    path("ratings/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("ratings/<int:pk>/report/", views.report, name="report"),
]
