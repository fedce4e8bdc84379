"""Enrollment and LessonProgress, moved here from courses (courses 0009) without touching the
database: the tables, constraints and indexes wave one created keep their names.

Their content types move too, so admin permissions and admin history follow the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("enrollment", "lessonprogress")


def move_content_types(apps, schema_editor, source="courses", target="learning"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="learning", target="courses")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0009_move_enrollments_to_learning"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Enrollment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("free", "Free enrolment"),
                                    ("purchase", "Purchase"),
                                    ("admin", "Granted by admin"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_reason", models.CharField(blank=True, max_length=200)),
                        ("last_activity_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "course",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="enrollments",
                                to="courses.course",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="enrollments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "last_lesson",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="courses.lesson",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "courses_enrollment",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["user", "-last_activity_at"], name="enrollment_recent"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "course"), name="enrollment_unique_user_course"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LessonProgress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("completed_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "enrollment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress",
                                to="learning.enrollment",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="courses.lesson",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "courses_lessonprogress",
                        "verbose_name_plural": "lesson progress",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("enrollment", "lesson"), name="progress_unique_lesson"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
