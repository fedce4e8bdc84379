"""A covering partial index for the catalog's facet counts, so counting all published courses
by (category, level, language, free/paid), optionally above a minimum rating, is an
index-only scan instead of a read of the whole course table."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS course_published_facets ON courses_course "
    "(category_id, level, language, price_amount) INCLUDE (rating_average) "
    "WHERE status = 'published'"
)
BACKWARD = "DROP INDEX IF EXISTS course_published_facets"


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_catalog_sort_indexes")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
