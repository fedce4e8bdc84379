from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("catalog/", views.catalog, name="catalog"),
    path("my_learning/", views.my_learning, name="my_learning"),
]
