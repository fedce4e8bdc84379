"""Partial indexes for the catalog's sorts over published courses (popular, rating, price), so
a sorted first page is an index scan instead of sorting the whole catalog."""

from django.db import migrations

INDEXES = {
    "course_published_popular": "(enrollment_count DESC, published_at DESC, id DESC)",
    "course_published_rating": "(rating_average DESC, rating_count DESC, id DESC)",
    "course_published_price": "(price_amount, published_at DESC, id DESC)",
    "course_published_newest": "(published_at DESC, id DESC)",
}

FORWARD = [
    f"CREATE INDEX IF NOT EXISTS {name} ON courses_course {columns} WHERE status = 'published'"
    for name, columns in INDEXES.items()
]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_search_vector_triggers")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
