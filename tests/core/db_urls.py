"""Views that tell which database alias served them, for the router and 503 tests."""

from django.db import OperationalError
from django.http import JsonResponse
from django.urls import path

from accounts.models import User


def read(request):
    users = User.objects.filter(email__endswith="@example.com")
    return JsonResponse({"alias": users.db, "emails": sorted(u.email for u in users)})


def write_then_read(request):
    User.objects.filter(email="alice@example.com").update(display_name="Written")
    users = User.objects.filter(email__endswith="@example.com")
    return JsonResponse({"alias": users.db, "count": users.count()})


def database_down(request):
    raise OperationalError("connection refused")


urlpatterns = [
    path("read/", read),
    path("write-then-read/", write_then_read),
    path("database-down/", database_down),
]
