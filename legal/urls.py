from django.urls import path

from legal import views

app_name = "legal"

urlpatterns = [
    path("<slug:kind>/", views.page, name="page"),
    path("<slug:kind>/v<int:version>/", views.version, name="version"),
]
