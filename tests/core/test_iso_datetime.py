"""The iso_datetime filter gives <time datetime> values that HTML accepts (no microseconds)."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.test import override_settings

from core.templatetags.markup import iso_datetime


def test_it_drops_microseconds_that_html_does_not_allow():
    moment = datetime(2026, 3, 1, 9, 30, 15, 184579, tzinfo=UTC)
    assert iso_datetime(moment) == "2026-03-01T09:30:15+00:00"


@override_settings(TIME_ZONE="Europe/Berlin")
def test_it_shows_the_moment_in_the_sites_time_zone():
    moment = datetime(2026, 7, 1, 22, 0, 0, 5, tzinfo=UTC)
    assert iso_datetime(moment) == "2026-07-02T00:00:00+02:00"


def test_a_plain_date_and_an_empty_value():
    assert iso_datetime(date(2026, 3, 1)) == "2026-03-01"
    assert iso_datetime(None) == ""


def test_it_renders_inside_a_time_element():
    template = Template('{% load markup %}<time datetime="{{ at|iso_datetime }}"></time>')
    moment = datetime(2026, 3, 1, 9, 30, 15, 999999, tzinfo=UTC)
    html = template.render(Context({"at": moment}))
    assert html == '<time datetime="2026-03-01T09:30:15+00:00"></time>'
