"""Reads for the course page, the study view and My learning, each in a fixed number of queries,
and the access rule every other app asks: has_access(user=, course=)."""

import mimetypes
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Count, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language_info

from accounts.models import User
from courses.models import Course, Lesson, Section
from courses.video import embed_url
from learning import drip
from learning.models import Enrollment, LessonProgress
from learning.prerequisites import missing_prerequisite

LESSON_ORDER = ("section__position", "section_id", "position", "id")


def has_access(*, user: User, course: Course) -> bool:
    """May this user study this course: an active (not revoked) enrollment.

    Staff may also open every lesson; the study pages add that through CoursePage.can_study.
    """
    if not user.is_authenticated:
        return False
    return Enrollment.objects.filter(user=user, course=course, revoked_at__isnull=True).exists()


def percent(done: int, total: int) -> int:
    """Whole percent, rounded down so that 100 % means every lesson is done."""
    return done * 100 // total if total else 0


def format_minutes(minutes: int) -> str:
    """90 -> "1 h 30 min"; 45 -> "45 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass
class OutlineLesson:
    lesson: Lesson
    completed: bool
    opens_on: date | None = None  # drip: still closed to this learner until that day


@dataclass
class OutlineSection:
    section: Section
    lessons: list[OutlineLesson]
    opens_on: date | None = None

    @property
    def minutes(self) -> int:
        return sum(item.lesson.estimated_minutes for item in self.lessons)

    @property
    def duration_label(self) -> str:
        return format_minutes(self.minutes)


@dataclass
class CoursePage:
    course: Course
    sections: list[OutlineSection]
    lessons: list[Lesson]
    enrollment: Enrollment | None  # active only
    revoked: bool  # had an enrollment that was revoked
    completed_ids: set[int] = field(default_factory=set)
    is_staff: bool = False
    locked: dict[int, date] = field(default_factory=dict)  # section id -> the day it opens
    # The prerequisite course this signed-in viewer has not completed yet (None: nothing).
    missing_prerequisite: Course | None = None

    def opens_on(self, lesson: Lesson) -> date | None:
        """The day a lesson drip-locked for this learner opens; previews are never locked."""
        return None if lesson.is_preview else self.locked.get(lesson.section_id)

    @property
    def can_study(self) -> bool:
        return self.enrollment is not None or self.is_staff

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def completed_count(self) -> int:
        return len(self.completed_ids)

    @property
    def progress_percent(self) -> int:
        return percent(self.completed_count, self.lesson_count)

    @property
    def total_minutes(self) -> int:
        return self.course.duration_minutes or sum(x.estimated_minutes for x in self.lessons)

    @property
    def duration_label(self) -> str:
        return format_minutes(self.total_minutes)

    @property
    def outcomes(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.course.outcomes.splitlines() if line.strip()]

    @property
    def language_name(self) -> str:
        try:
            return get_language_info(self.course.language)["name"]
        except KeyError:
            return self.course.language

    @property
    def has_started(self) -> bool:
        return bool(self.enrollment and (self.enrollment.last_lesson_id or self.completed_ids))

    @property
    def resume_lesson(self) -> Lesson | None:
        """The last lesson opened (or the one after the last completed), else the first to do."""
        if not self.lessons:
            return None
        last_id = self.enrollment.last_lesson_id if self.enrollment else None
        for lesson in self.lessons:
            if lesson.id == last_id:
                return lesson
        return next((x for x in self.lessons if x.id not in self.completed_ids), self.lessons[0])


def course_page(*, slug: str, user: User) -> CoursePage:
    """A published course (any course for staff) with its outline and the user's progress.

    Queries: course, sections, lessons, and for a signed-in user enrollment and progress.
    """
    is_staff = bool(user.is_authenticated and user.is_staff)
    courses = Course.objects.select_related("instructor", "category", "prerequisite")
    if not is_staff:
        courses = courses.filter(status=Course.Status.PUBLISHED)
    course = courses.filter(slug=slug).first()
    if course is None:
        raise Http404("No such course.")
    lessons = Lesson.objects.defer("body").order_by("position", "id")
    sections = list(
        course.sections.order_by("position", "id").prefetch_related(
            Prefetch("lessons", queryset=lessons)
        )
    )
    enrollment, revoked, completed = None, False, set()
    if user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
        if enrollment is not None and not enrollment.is_active:
            enrollment, revoked = None, True
        if enrollment is not None:
            completed = set(
                LessonProgress.objects.filter(enrollment=enrollment).values_list(
                    "lesson_id", flat=True
                )
            )
    ordered = [lesson for section in sections for lesson in section.lessons.all()]
    completed &= {lesson.id for lesson in ordered}
    locked = {} if is_staff else drip.locked_sections(sections, enrollment)
    outline = [
        OutlineSection(
            section=section,
            lessons=[
                OutlineLesson(
                    x, x.id in completed, None if x.is_preview else locked.get(section.id)
                )
                for x in section.lessons.all()
            ],
            opens_on=locked.get(section.id),
        )
        for section in sections
    ]
    missing = None
    if user.is_authenticated and enrollment is None and course.prerequisite_id:
        missing = missing_prerequisite(user=user, course=course)
    return CoursePage(
        course=course,
        sections=outline,
        lessons=ordered,
        enrollment=enrollment,
        revoked=revoked,
        completed_ids=completed,
        is_staff=is_staff,
        locked=locked,
        missing_prerequisite=missing,
    )


class Access(StrEnum):
    OPEN = "open"
    LOGIN = "login"  # anonymous visitor on a lesson that is not a preview
    ENROL = "enrol"  # signed in, not enrolled
    REVOKED = "revoked"  # signed in, enrollment revoked
    LOCKED = "locked"  # enrolled, but the lesson's section has not opened yet (drip)


@dataclass
class StudyPage:
    page: CoursePage
    lesson: Lesson
    previous: Lesson | None
    next: Lesson | None
    access: Access

    @property
    def completed(self) -> bool:
        return self.lesson.id in self.page.completed_ids

    @property
    def opens_on(self) -> date | None:
        return self.page.opens_on(self.lesson)

    @property
    def embed_url(self) -> str | None:
        return embed_url(self.lesson.video_url) if self.lesson.kind == Lesson.Kind.VIDEO else None

    @property
    def video_link(self) -> str | None:
        """The video URL as a link target, only if it is http(s)."""
        url = self.lesson.video_url.strip()
        return url if url.lower().startswith(("https://", "http://")) else None

    @property
    def file_is_video(self) -> bool:
        """A video uploaded as the lesson file plays in the page (seeking uses range requests)."""
        kind = mimetypes.guess_type(self.lesson.file.name)[0] if self.lesson.file else None
        return bool(kind and kind.startswith("video/"))

    @property
    def file_size(self) -> int | None:
        if not self.lesson.file:
            return None
        try:
            return self.lesson.file.size
        except OSError:
            return None


def lesson_page(*, slug: str, lesson_slug: str, user: User) -> StudyPage:
    """One lesson with its course outline, neighbours, progress and who may open it.

    Raises Http404 for an unknown or draft course (unless staff) or an unknown lesson.
    """
    page = course_page(slug=slug, user=user)
    lesson = (
        Lesson.objects.select_related("section")
        .filter(course=page.course, slug=lesson_slug)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson.")
    ids = [x.id for x in page.lessons]
    index = ids.index(lesson.id)
    if page.opens_on(lesson) is not None:
        access = Access.LOCKED
    elif lesson.is_preview or page.can_study:
        access = Access.OPEN
    elif not user.is_authenticated:
        access = Access.LOGIN
    else:
        access = Access.REVOKED if page.revoked else Access.ENROL
    return StudyPage(
        page=page,
        lesson=lesson,
        previous=page.lessons[index - 1] if index > 0 else None,
        next=page.lessons[index + 1] if index + 1 < len(ids) else None,
        access=access,
    )


@dataclass
class LearningRow:
    enrollment: Enrollment
    course: Course
    lesson_count: int
    completed_count: int
    resume_slug: str | None
    resume_title: str | None

    @property
    def progress_percent(self) -> int:
        return percent(self.completed_count, self.lesson_count)


def my_learning(*, user: User) -> list[LearningRow]:
    """The learner's active courses, most recently studied first, in one query."""
    course_lessons = Lesson.objects.filter(course=OuterRef("course_id"))
    done = LessonProgress.objects.filter(
        enrollment=OuterRef("pk"), lesson__course=OuterRef("course_id")
    )
    enrollments = (
        Enrollment.objects.filter(
            user=user, revoked_at__isnull=True, course__status=Course.Status.PUBLISHED
        )
        .select_related("course", "last_lesson")
        .annotate(
            lesson_count=Coalesce(
                Subquery(
                    course_lessons.order_by().values("course").annotate(n=Count("pk")).values("n")
                ),
                Value(0),
            ),
            completed_count=Coalesce(
                Subquery(done.order_by().values("enrollment").annotate(n=Count("pk")).values("n")),
                Value(0),
            ),
            first_lesson_slug=Subquery(course_lessons.order_by(*LESSON_ORDER).values("slug")[:1]),
            first_lesson_title=Subquery(course_lessons.order_by(*LESSON_ORDER).values("title")[:1]),
        )
        .order_by(F("last_activity_at").desc(nulls_last=True), "-created_at", "-id")
    )
    rows = []
    for enrollment in enrollments:
        last = enrollment.last_lesson
        if last is None or last.course_id != enrollment.course_id:
            last = None
        rows.append(
            LearningRow(
                enrollment=enrollment,
                course=enrollment.course,
                lesson_count=enrollment.lesson_count,
                completed_count=enrollment.completed_count,
                resume_slug=last.slug if last else enrollment.first_lesson_slug,
                resume_title=last.title if last else enrollment.first_lesson_title,
            )
        )
    return rows
