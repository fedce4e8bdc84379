"""Demo blog content: a few published posts with tags and one draft. Safe to run again."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from blog.models import Post, Tag
from core.demo import ensure_admin

TAGS = {"sql": "SQL", "python": "Python", "careers": "Careers", "visualisation": "Visualisation"}

POSTS = [
    {
        "slug": "why-learn-sql-first",
        "title": "Why learn SQL first",
        "excerpt": "Most data work starts with a query. Here is why SQL is the best first step.",
        "tags": ["sql", "careers"],
        "days_ago": 21,
        "body": (
            "Almost every data job touches a **relational database**. Before pandas, before "
            "dashboards, someone has to get the rows out.\n\n"
            "## Three reasons\n\n"
            "1. It is everywhere: PostgreSQL, MySQL, SQLite, BigQuery.\n"
            "2. It is declarative: you say *what*, the database decides *how*.\n"
            "3. It lasts: the SQL you learn today worked thirty years ago.\n\n"
            "```sql\nSELECT country, count(*) FROM customers GROUP BY country;\n```\n"
        ),
    },
    {
        "slug": "tidy-data-with-pandas",
        "title": "Tidy data with pandas",
        "excerpt": "One row per observation, one column per variable: reshaping made simple.",
        "tags": ["python"],
        "days_ago": 12,
        "body": (
            "Tidy data makes every later step easier. With `melt` and `pivot_table` you can "
            "turn almost any spreadsheet into a tidy table.\n\n"
            "> Clean data is a feature, not a chore.\n\n"
            "Try it on your own exports this week."
        ),
    },
    {
        "slug": "charts-that-tell-the-truth",
        "title": "Charts that tell the truth",
        "excerpt": "Start axes at zero for bars, label directly, and cut the chart junk.",
        "tags": ["visualisation", "python"],
        "days_ago": 4,
        "body": (
            "A good chart answers one question. Before plotting, write that question down.\n\n"
            "- Bars start at zero.\n- Label lines directly instead of using a legend.\n"
            "- Remove what does not carry data."
        ),
    },
    {
        "slug": "what-we-are-writing-next",
        "title": "What we are writing next",
        "excerpt": "A draft: not visible on the site until it is published.",
        "tags": ["careers"],
        "days_ago": None,
        "body": "Notes for upcoming articles.",
    },
]


class Command(BaseCommand):
    help = "Create demo blog posts (three published, one draft); existing posts are kept."

    def handle(self, *args, **options) -> None:
        author_email, _ = ensure_admin()
        author = User.objects.get(email=author_email)
        tags = {
            slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in TAGS.items()
        }
        created = 0
        for spec in POSTS:
            published = spec["days_ago"] is not None
            post, was_created = Post.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "title": spec["title"],
                    "excerpt": spec["excerpt"],
                    "body": spec["body"],
                    "author": author,
                    "status": Post.Status.PUBLISHED if published else Post.Status.DRAFT,
                    "publish_at": (
                        timezone.now() - timedelta(days=spec["days_ago"]) if published else None
                    ),
                },
            )
            if was_created:
                post.tags.set([tags[slug] for slug in spec["tags"]])
                created += 1
        self.stdout.write(f"Blog: {created} post(s) created, {len(POSTS) - created} kept.")
