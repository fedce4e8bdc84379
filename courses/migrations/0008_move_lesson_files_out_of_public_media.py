"""Move lesson files uploaded before 0007 from MEDIA_ROOT/lesson-files/ (public: served by
SERVE_MEDIA or a CDN) into protected storage under unguessable names.

A file missing on disk is skipped with a warning, and its row is left as it was. The public
copies are deleted only once this migration's transaction commits. Reversing does nothing:
putting paid files back in public media would reopen the hole.
"""

from django.db import migrations

from courses.storage import LESSON_FILES_DIR, move_public_lesson_file


def protect_lesson_files(apps, schema_editor):
    Lesson = apps.get_model("courses", "Lesson")
    old = (
        Lesson.objects.exclude(file="")
        .exclude(file__startswith=f"{LESSON_FILES_DIR}/")
        .values_list("pk", "file")
    )
    for pk, name in list(old):
        new_name = move_public_lesson_file(name)
        if new_name is not None:
            Lesson.objects.filter(pk=pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_lesson_file_protected_storage"),
    ]

    operations = [
        migrations.RunPython(protect_lesson_files, migrations.RunPython.noop, elidable=True),
    ]
