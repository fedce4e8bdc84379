"""seed_demo publishes one demo announcement on a demo course, once, emailing nobody."""

import pytest
from django.core import mail
from django.core.management import call_command

from learning.models import Announcement

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_published_announcement_however_often_it_runs():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    announcement = Announcement.objects.get()
    assert announcement.course.slug == "python-for-data-analysis"
    assert announcement.is_published
    assert mail.outbox == []
