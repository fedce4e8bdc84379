"""The page cache reads Redis once per anonymous page served from it."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from core.cache_generations import bump
from courses.caching import CATALOG_GENERATION
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_reads(monkeypatch):
    reads = []
    backend = type(caches["default"])  # the configured class (core.metrics wraps get/get_many)
    for name in ("get", "get_many"):
        real = getattr(backend, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            reads.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    return reads


def test_a_cached_page_costs_one_redis_read(redis_reads):
    course = CourseFactory(title="One Read Course")
    url = reverse("courses:detail", args=[course.slug])
    Client().get(url)
    redis_reads.clear()
    response = Client().get(url)
    assert "One Read Course" in response.content.decode()
    assert redis_reads == ["get_many"]


def test_a_page_stored_before_a_change_is_not_served_after_it():
    course = CourseFactory(title="Old Title")
    url = reverse("courses:detail", args=[course.slug])
    Client().get(url)
    type(course).objects.filter(pk=course.pk).update(title="New Title")  # no signal: bump below
    bump(CATALOG_GENERATION)
    assert "New Title" in Client().get(url).content.decode()
