"""Reads for notes and bookmarks: always filtered by the owner, never by id alone."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Lesson
from learning.models import Bookmark, Enrollment, Note
from learning.selectors import LESSON_ORDER, has_access


def may_study(*, user: User, course: Course) -> bool:
    """The lesson page's rule for the whole course: staff, or access to a published course."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return course.status == Course.Status.PUBLISHED and has_access(user=user, course=course)


def notes_course(*, slug: str, user: User) -> Course:
    """A course whose notes page the user may open: one they may study, or one they have notes
    in (a refunded learner can still read and export what they wrote)."""
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404("No such course.")
    if (
        not may_study(user=user, course=course)
        and not Note.objects.filter(user=user, course=course).exists()
    ):
        raise Http404("No such course.")
    return course


def own_notes(*, user: User) -> QuerySet[Note]:
    return Note.objects.filter(user=user)


def lesson_notes(*, user: User, lesson: Lesson) -> list[Note]:
    return list(own_notes(user=user).filter(lesson=lesson).order_by("video_seconds", "created_at"))


def course_notes(*, user: User, course: Course) -> list[Note]:
    """The user's notes of a course in lesson order, then by video time (one query)."""
    order = [f"lesson__{x}" if x != "id" else "lesson_id" for x in LESSON_ORDER]
    return list(
        own_notes(user=user)
        .filter(course=course)
        .select_related("lesson", "lesson__section")
        .order_by(*order, "video_seconds", "created_at", "id")
    )


def is_bookmarked(*, user: User, lesson: Lesson) -> bool:
    return user.is_authenticated and Bookmark.objects.filter(user=user, lesson=lesson).exists()


def my_bookmarks(*, user: User) -> list[Bookmark]:
    """Bookmarked lessons of courses the user still has access to, newest first (one query)."""
    active = Enrollment.objects.filter(
        user=user, course=OuterRef("lesson__course"), revoked_at__isnull=True
    )
    return list(
        Bookmark.objects.filter(user=user, lesson__course__status=Course.Status.PUBLISHED)
        .filter(Exists(active))
        .select_related("lesson", "lesson__course")
    )


@dataclass
class NotesExport:
    filename: str
    text: str


def notes_markdown(*, user: User, course: Course) -> NotesExport:
    """All the user's notes of a course as one Markdown document, grouped by lesson."""
    lines = [f"# My notes: {course.title}", "", f"Exported {timezone.now():%Y-%m-%d}.", ""]
    current = None
    for note in course_notes(user=user, course=course):
        if note.lesson_id != current:
            current = note.lesson_id
            lines += [f"## {note.lesson.title}", ""]
        if note.time_label:
            lines += [f"**At {note.time_label}**", ""]
        lines += [note.body.strip(), ""]
    return NotesExport(filename=f"notes-{course.slug}.md", text="\n".join(lines).rstrip() + "\n")
