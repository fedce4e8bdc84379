"""Enrollment and LessonProgress now belong to the learning app (learning 0001).

State only: the tables courses_enrollment and courses_lessonprogress stay where they are, with
their rows, constraints and indexes; learning's models name them with Meta.db_table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_move_lesson_files_out_of_public_media"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="LessonProgress"),
                migrations.DeleteModel(name="Enrollment"),
            ],
            database_operations=[],
        ),
    ]
