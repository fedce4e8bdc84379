"""Move lesson files uploaded before 0007 from MEDIA_ROOT/lesson-files/ (public: served by
SERVE_MEDIA or a CDN) into protected storage under unguessable names.

A file missing on disk is skipped with a warning, and its row is left as it was
(`manage.py protect_lesson_files` moves it once it is restored). The public
copies are deleted only once this migration's transaction commits. Reversing does nothing:
putting paid files back in public media would reopen the hole.
"""

from django.db import migrations

from courses.storage import protect_public_lesson_files


def protect_lesson_files(apps, schema_editor):
    protect_public_lesson_files(apps.get_model("courses", "Lesson"))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_lesson_file_protected_storage"),
    ]

    operations = [
        migrations.RunPython(protect_lesson_files, migrations.RunPython.noop, elidable=True),
    ]
