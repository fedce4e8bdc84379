from django.urls import path

from purchases import views

app_name = "purchases"

urlpatterns = [
    path("orders/", views.orders, name="orders"),
]
