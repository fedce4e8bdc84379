from django.urls import path

from ratings import views

app_name = "ratings"

urlpatterns = [
    path("courses/<slug:slug>/rate/", views.rate, name="rate"),
    path("courses/<slug:slug>/list/", views.list, name="list"),
]
