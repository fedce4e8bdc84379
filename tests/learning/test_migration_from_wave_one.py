"""Enrollment and LessonProgress moved from courses to learning without touching their tables:
rows written before the split are found through the new models after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learning.models import Enrollment, LessonProgress

BEFORE_SPLIT = [("courses", "0008_move_lesson_files_out_of_public_media")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_wave_one_enrollments_and_progress_survive_the_split():
    latest = latest_targets()
    try:
        old = migrate(BEFORE_SPLIT)
        assert ("learning", "Enrollment") not in {
            (m._meta.app_label, m.__name__) for m in old.get_models()
        }
        user = old.get_model("accounts", "User").objects.create(email="wave-one@example.com")
        category = old.get_model("courses", "Category").objects.create(name="Old", slug="old")
        course = old.get_model("courses", "Course").objects.create(
            title="Wave one", slug="wave-one", status="draft", category=category
        )
        section = old.get_model("courses", "Section").objects.create(
            course=course, title="Start", position=1
        )
        lessons = [
            old.get_model("courses", "Lesson").objects.create(
                section=section, course=course, title=f"L{n}", slug=f"l{n}", position=n
            )
            for n in (1, 2)
        ]
        OldEnrollment = old.get_model("courses", "Enrollment")
        enrollment = OldEnrollment.objects.create(
            user=user, course=course, source="purchase", last_lesson=lessons[1]
        )
        revoked = OldEnrollment.objects.create(
            user=old.get_model("accounts", "User").objects.create(email="gone@example.com"),
            course=course,
            source="free",
            revoked_reason="Refunded",
        )
        OldProgress = old.get_model("courses", "LessonProgress")
        for lesson in lessons:
            OldProgress.objects.create(enrollment=enrollment, lesson=lesson)
    finally:
        migrate(latest)

    moved = Enrollment.objects.get(pk=enrollment.pk)
    assert (moved.user_id, moved.course_id, moved.source) == (user.pk, course.pk, "purchase")
    assert moved.last_lesson_id == lessons[1].pk
    assert Enrollment.objects.get(pk=revoked.pk).revoked_reason == "Refunded"
    assert set(
        LessonProgress.objects.filter(enrollment=moved).values_list("lesson_id", flat=True)
    ) == {lesson.pk for lesson in lessons}
    # The constraints kept their names and still hold on the same table.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'courses_enrollment'::regclass"
        )
        assert "enrollment_unique_user_course" in {row[0] for row in cursor.fetchall()}
