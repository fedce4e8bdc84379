from django.urls import path

from purchases import views

app_name = "purchases"

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("courses/<slug:slug>/checkout/", views.checkout, name="checkout"),
]
