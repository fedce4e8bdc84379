"""Drip release: when each section of a course opens for a learner, and the email that says so.

A section opens at the start of a day (midnight) in settings.TIME_ZONE: on its fixed date
(`Section.release_on`), or `Section.release_after_days` days after the day the learner
enrolled, that day also read in TIME_ZONE. So a learner who enrols at 23:30 UTC on 1 March
enrolled on 2 March in Europe/Berlin, and "3 days after enrolment" opens at midnight Berlin
time on 5 March. Staff and free preview lessons are never locked; the study pages and the
file view apply the rule through learning.selectors.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.emails import send_templated_email
from courses.models import Course, Section
from learning.models import Enrollment, SectionOpenNotice

logger = logging.getLogger(__name__)

# A section that opened longer ago than this is not announced (e.g. the job was down for a
# week, or the rule was set on a section already open): the email would be stale news.
ANNOUNCE_WITHIN_DAYS = 7


def local_date(moment: datetime) -> date:
    """The calendar day of an aware datetime in settings.TIME_ZONE."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in settings.TIME_ZONE, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def opens_on(section: Section, enrolled_at: datetime | None) -> date | None:
    """The day the section opens for a learner enrolled at `enrolled_at`; None: no rule."""
    if section.release_on is not None:
        return section.release_on
    if section.release_after_days and enrolled_at is not None:
        return local_date(enrolled_at) + timedelta(days=section.release_after_days)
    return None


def locked_until(
    section: Section, enrolled_at: datetime | None, now: datetime | None = None
) -> date | None:
    """The day a still-closed section opens for this learner; None when it is open."""
    day = opens_on(section, enrolled_at)
    if day is None:
        return None
    now = now or timezone.now()
    return day if now < start_of_day(day) else None


def locked_sections(
    sections: Iterable[Section], enrollment: Enrollment | None, *, now: datetime | None = None
) -> dict[int, date]:
    """{section id: the day it opens} for the sections still closed to this enrollment.

    Only an enrolled learner's sections are locked: staff study without an enrollment, and a
    visitor without one sees free previews only, which drip never locks.
    """
    if enrollment is None:
        return {}
    now = now or timezone.now()
    closed = {}
    for section in sections:
        day = locked_until(section, enrollment.created_at, now)
        if day is not None:
            closed[section.id] = day
    return closed


def sections_opened_today(*, now: datetime | None = None) -> list[tuple[Enrollment, Section]]:
    """(enrollment, section) pairs whose section opened in the last few days and was still
    closed when the learner enrolled, not announced yet, for learners who take these emails."""
    now = now or timezone.now()
    today = local_date(now)
    oldest = today - timedelta(days=ANNOUNCE_WITHIN_DAYS)
    sections = list(
        Section.objects.filter(course__status=Course.Status.PUBLISHED)
        .filter(Q(release_on__gt=oldest, release_on__lte=today) | Q(release_after_days__gt=0))
        .select_related("course")
    )
    if not sections:
        return []
    by_course: dict[int, list[Section]] = {}
    for section in sections:
        by_course.setdefault(section.course_id, []).append(section)
    # A relative rule can only have opened recently for recent enrolments: per course, skip
    # learners who enrolled before the oldest day it could still open (plus a day of margin
    # for the time zone); a fixed date concerns every learner of its course.
    who = Q()
    for course_id, course_sections in by_course.items():
        if any(s.release_on for s in course_sections):
            who |= Q(course_id=course_id)
        else:
            days = max(s.release_after_days for s in course_sections)
            since = start_of_day(oldest - timedelta(days=days + 1))
            who |= Q(course_id=course_id, created_at__gte=since)
    enrollments = Enrollment.objects.filter(
        who, revoked_at__isnull=True, user__is_active=True, user__section_emails=True
    ).select_related("user", "course")
    announced = set(
        SectionOpenNotice.objects.filter(section__in=sections).values_list(
            "enrollment_id", "section_id"
        )
    )
    due = []
    for enrollment in enrollments:
        enrolled_on = local_date(enrollment.created_at)
        for section in by_course[enrollment.course_id]:
            day = opens_on(section, enrollment.created_at)
            if day is None or not (oldest < day <= today) or day <= enrolled_on:
                continue  # not yet, too long ago, or already open when they enrolled
            if (enrollment.id, section.id) not in announced:
                due.append((enrollment, section))
    return due


def announce_opened_sections(*, now: datetime | None = None) -> int:
    """Email each learner whose section just opened, once: the marker row is written in the
    same transaction as the email is queued, and its unique constraint stops a second run."""
    sent = 0
    for enrollment, section in sections_opened_today(now=now):
        try:
            with transaction.atomic():
                SectionOpenNotice.objects.create(enrollment=enrollment, section=section)
                _send_section_open_email(enrollment=enrollment, section=section)
        except IntegrityError:
            continue  # a simultaneous run announced it first
        sent += 1
    return sent


def _send_section_open_email(*, enrollment: Enrollment, section: Section) -> None:
    first = section.lessons.order_by("position", "id").first()
    path = (
        reverse("learning:lesson", args=[section.course.slug, first.slug])
        if first
        else section.course.get_absolute_url()
    )
    site = settings.SITE_URL.rstrip("/")
    send_templated_email(
        to=[enrollment.user.email],
        template="section_open",
        context={
            "user": enrollment.user,
            "course": section.course,
            "section": section,
            "site_url": site,
            "url": f"{site}{path}",
            "profile_url": f"{site}{reverse('accounts:profile')}",
        },
    )
    logger.info(
        "Section open email queued",
        extra={"enrollment": enrollment.pk, "section": section.pk},
    )
