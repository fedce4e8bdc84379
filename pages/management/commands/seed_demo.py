"""Demo content for local runs (`make run`) and synthetic courses for benchmarks.

    manage.py seed_demo                 # categories, ~40 courses, an instructor, demo learners
    manage.py seed_demo --courses 100000  # plus synthetic courses until 100,000 exist

Idempotent: rows are found by slug or email, so running it again adds nothing.

Ratings are never invented: demo learners enrol through courses.services.enroll and rate
through ratings.services.rate_course, so each course's stored average and count are the
aggregate of the reviews shown under it.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from core.demo import ensure_admin
from courses.caching import bump_catalog_version
from courses.demo_content import (
    ADJECTIVES,
    AUDIENCES,
    CATEGORIES,
    COURSES,
    DEMO_CROWD_DOMAIN,
    DEMO_CROWD_NAMES,
    DEMO_FILES,
    RECEPTIONS,
    REVIEWS,
    TOPICS,
    VIDEOS,
)
from courses.models import Category, Course, Lesson, Section
from learning.announcements.demo import seed_demo_announcement
from learning.models import Enrollment
from learning.services import enroll
from ratings.models import Rating
from ratings.services import NewRating, rate_course_in_bulk, refresh_course_rating

INSTRUCTOR_EMAIL = "instructor@dataschool.local"
LEARNER_EMAILS = ["learner@dataschool.local", "learner2@dataschool.local"]
SYNTHETIC_PREFIX = "synthetic-"
BATCH = 2000
DEMO_FILES_DIR = Path(__file__).resolve().parents[3] / "courses" / "demo_files"


def lesson_body(course_title: str, topic: str) -> str:
    return (
        f"## {topic}\n\n"
        f"In this lesson of *{course_title}* you work through **{topic.lower()}** step by step.\n\n"
        "1. Read the short explanation.\n2. Run the example.\n3. Try the exercise.\n\n"
        "```python\nimport pandas as pd\ndf = pd.read_csv('data.csv')\ndf.head()\n```\n\n"
        "> Tip: keep your notebook tidy; future you will thank you.\n"
    )


class Command(BaseCommand):
    help = (
        "Load demo categories, courses and learners (idempotent); --courses N adds synthetic ones."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--courses",
            type=int,
            default=0,
            help="Ensure this many synthetic courses exist (for benchmarks), created in bulk.",
        )

    def handle(self, *args, **options) -> None:
        categories = self.seed_categories()
        if options["courses"]:
            self.seed_synthetic(options["courses"], categories, progress=options["verbosity"] > 0)
        else:
            self.seed_demo(categories)
        bump_catalog_version()

    # --- Demo content ---------------------------------------------------------------------
    def seed_categories(self) -> list[Category]:
        categories = []
        for name, description in CATEGORIES.items():
            category, _ = Category.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "description": description}
            )
            categories.append(category)
        return categories

    @transaction.atomic
    def seed_demo(self, categories: list[Category]) -> None:
        admin_email, admin_password = ensure_admin()
        instructor = self.ensure_user(INSTRUCTOR_EMAIL, "Dr. Lena Fischer", staff=True)
        password = os.environ.get("DEMO_LEARNER_PASSWORD", "study-data-2026")
        learners = [
            self.ensure_user(email, name, password=password)
            for email, name in zip(LEARNER_EMAILS, ["Sam Learner", "Robin Student"], strict=True)
        ]
        by_slug = {c.slug: c for c in categories}
        now = timezone.now()
        created = 0
        number = 0
        for category_name, courses in COURSES.items():
            category = by_slug[slugify(category_name)]
            for title, subtitle, level, price, language, topics in courses:
                number += 1
                if Course.objects.filter(slug=slugify(title)).exists():
                    continue
                self.create_course(
                    title=title,
                    subtitle=subtitle,
                    level=level,
                    price=price,
                    language=language,
                    topics=topics,
                    category=category,
                    instructor=instructor,
                    published_at=now - timedelta(days=3 * number),
                    number=number,
                )
                created += 1
        self.attach_demo_files()
        for slug in ["python-for-data-analysis", "sql-fundamentals", "statistics-in-practice"]:
            enroll(user=learners[0], course=Course.objects.get(slug=slug), source="free")
        if not Enrollment.objects.filter(user=learners[1]).exists():
            enroll(
                user=learners[1],
                course=Course.objects.get(slug="pandas-in-depth"),
                source=Enrollment.Source.ADMIN,
            )
        seed_demo_announcement()
        rated = self.seed_ratings()
        self.stdout.write(
            self.style.SUCCESS(f"Demo catalog: {created} new course(s), {number} in the demo set.")
        )
        self.stdout.write(
            f"  Ratings:    {rated} new, by {len(DEMO_CROWD_NAMES)} demo learners "
            f"(@{DEMO_CROWD_DOMAIN}, no password)"
        )
        self.stdout.write(f"  Admin:      {admin_email} / {admin_password}")
        self.stdout.write(f"  Instructor: {INSTRUCTOR_EMAIL} (staff, no password set)")
        for learner in learners:
            self.stdout.write(f"  Learner:    {learner.email} / {password}")

    def attach_demo_files(self) -> None:
        """A file lesson in a paid course and a free-preview one in another (downloads to try).

        Also re-stores a file that went missing from protected storage (e.g. var/ removed).
        """
        for course_slug, section_title, title, file_name, preview, body in DEMO_FILES:
            course = Course.objects.filter(slug=course_slug).first()
            section = course and course.sections.filter(title=section_title).first()
            if section is None:
                continue
            lesson = Lesson.objects.filter(course=course, slug=slugify(title)).first()
            if lesson is None:
                last = section.lessons.aggregate(last=Max("position"))["last"] or 0
                lesson = Lesson.objects.create(
                    section=section,
                    course=course,
                    title=title,
                    slug=slugify(title),
                    position=last + 1,
                    kind=Lesson.Kind.FILE,
                    body=body,
                    estimated_minutes=5,
                    is_preview=preview,
                )
            if lesson.file and lesson.file.storage.exists(lesson.file.name):
                continue
            with (DEMO_FILES_DIR / file_name).open("rb") as handle:
                lesson.file.save(file_name, File(handle), save=True)

    def ensure_user(self, email: str, name: str, *, password: str | None = None, staff=False):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, display_name=name, is_staff=staff)
            if password is None:
                user.set_unusable_password()
                user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def create_course(
        self,
        *,
        title,
        subtitle,
        level,
        price,
        language,
        topics,
        category,
        instructor,
        published_at,
        number,
    ) -> Course:
        rnd = random.Random(number)
        lesson_minutes = [rnd.choice([6, 8, 10, 12, 15]) for _ in range(len(topics) + 2)]
        description = (
            f"**{title}** is a practical course: {subtitle[0].lower()}{subtitle[1:]}.\n\n"
            "Every lesson ends with a short exercise, and the final project pulls it together.\n\n"
            "### Who this is for\n\n"
            f"- Learners at {level} level\n- Anyone who wants to work with data confidently\n"
        )
        course = Course.objects.create(
            title=title,
            slug=slugify(title),
            subtitle=subtitle,
            description=description,
            outcomes="\n".join(f"Use {topic.lower()} with confidence" for topic in topics[:4]),
            category=category,
            level=level,
            language=language,
            duration_minutes=sum(lesson_minutes),
            price_amount=price,
            currency="EUR",
            instructor=instructor,
            status=Course.Status.PUBLISHED,
            published_at=published_at,
            enrollment_count=rnd.randint(5, 900),
        )
        plan = [
            ("Getting started", [("Welcome and set-up", "video"), (topics[0], "text")]),
            ("Core skills", [(topic, "text") for topic in topics[1:4]]),
            ("Practice", [*((topic, "text") for topic in topics[4:]), ("Final project", "video")]),
        ]
        minutes = iter(lesson_minutes)
        for section_position, (section_title, lessons) in enumerate(plan, start=1):
            section = Section.objects.create(
                course=course, title=section_title, position=section_position
            )
            Lesson.objects.bulk_create(
                Lesson(
                    section=section,
                    course=course,
                    title=lesson_title,
                    slug=slugify(lesson_title) or f"lesson-{position}",
                    position=position,
                    kind=kind,
                    video_url=rnd.choice(VIDEOS) if kind == "video" else "",
                    body=lesson_body(title, lesson_title),
                    estimated_minutes=next(minutes),
                    is_preview=section_position == 1,
                )
                for position, (lesson_title, kind) in enumerate(lessons, start=1)
            )
        return course

    def seed_ratings(self) -> int:
        """Demo learners enrol in and rate each demo course through the services; returns how
        many ratings were new. A learner who already rated a course is skipped (idempotent)."""
        crowd = [
            self.ensure_user(f"{slugify(name)}@{DEMO_CROWD_DOMAIN}", name)
            for name in DEMO_CROWD_NAMES
        ]
        slugs = [slugify(row[0]) for courses in COURSES.values() for row in courses]
        topics = {slugify(row[0]): row[5] for courses in COURSES.values() for row in courses}
        courses = Course.objects.filter(slug__in=slugs).order_by("pk")
        done = set(Rating.objects.filter(user__in=crowd).values_list("user_id", "course_id"))
        rated = 0
        for course in courses:
            rnd = random.Random(f"ratings:{course.slug}")
            weights = RECEPTIONS[rnd.choice(list(RECEPTIONS))]
            new = []
            for learner in rnd.sample(crowd, rnd.randint(3, 14)):
                stars = rnd.choices([5, 4, 3, 2, 1], weights=weights)[0]
                title, body = rnd.choice(REVIEWS[stars])
                body = body.format(topic=rnd.choice(topics[course.slug]))
                if (learner.pk, course.pk) in done:
                    continue
                source = Enrollment.Source.FREE if course.is_free else Enrollment.Source.ADMIN
                enroll(user=learner, course=course, source=source)
                new.append(NewRating(user=learner, stars=stars, title=title, body=body))
            if new:
                # One insert and one recomputation of the average per course, not per rating.
                rate_course_in_bulk(course=course, ratings=new)
                rated += len(new)
            else:
                # Also corrects a database seeded before ratings were real (invented averages).
                refresh_course_rating(course=course)
        return rated

    # --- Synthetic courses for benchmarks ----------------------------------------------------
    def seed_synthetic(self, wanted: int, categories: list[Category], *, progress: bool) -> None:
        existing = Course.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        missing = max(0, wanted - existing)
        if not missing:
            self.stdout.write(f"{existing} synthetic courses already exist.")
            return
        now = timezone.now()
        crowd = [
            self.ensure_user(f"{slugify(name)}@{DEMO_CROWD_DOMAIN}", name).pk
            for name in DEMO_CROWD_NAMES
        ]
        with tqdm(total=missing, unit="course", disable=not progress, file=self.stderr) as bar:
            for start in range(existing, existing + missing, BATCH):
                stop = min(start + BATCH, existing + missing)
                self.synthetic_batch(range(start, stop), categories, now, crowd)
                bar.update(stop - start)
        # Fresh planner statistics, so search uses the GIN index on the grown table at once.
        # (VACUUM cannot run inside a transaction, e.g. a test's: plain ANALYZE there.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Course, Section, Lesson, Enrollment, Rating):
                cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(self.style.SUCCESS(f"Created {missing} synthetic courses."))

    @transaction.atomic
    def synthetic_batch(
        self, numbers: range, categories: list[Category], now, crowd: list[int]
    ) -> None:
        # COPY, not the ORM: 100,000 courses (plus sections and lessons) in well under three
        # minutes. Lessons and sections go in first, with course ids taken from the sequence:
        # Django's foreign keys are checked at commit, so the course insert trigger builds each
        # search vector once, lesson titles included.
        course_ids = next_ids(Course, len(numbers))
        section_ids = next_ids(Section, len(numbers))
        sections, lessons, courses, enrollments, ratings = [], [], [], [], []
        for n, course_id, section_id in zip(numbers, course_ids, section_ids, strict=True):
            rnd = random.Random(n)
            topic = rnd.choice(TOPICS)
            sections.append((section_id, course_id, "Lessons", 1))
            for position in (1, 2, 3):
                title = f"{rnd.choice(TOPICS)} part {position}"
                lessons.append(
                    (section_id, course_id, title, f"lesson-{position}", position, "text", "",
                     "Synthetic lesson.", "", 10, False)
                )  # fmt: skip
            courses.append(
                (
                    course_id,
                    f"{rnd.choice(ADJECTIVES)} {topic} {rnd.choice(AUDIENCES)}",
                    f"{SYNTHETIC_PREFIX}{n:07d}",
                    f"Learn {topic.lower()} with {rnd.choice(TOPICS).lower()} examples",
                    f"A synthetic course about {topic} and {rnd.choice(TOPICS)} for benchmarks.",
                    "",
                    "",
                    categories[n % len(categories)].pk,
                    ("beginner", "intermediate", "advanced")[n % 3],
                    "en" if n % 10 else "de",
                    rnd.randint(30, 900),
                    rnd.choice([0, 1900, 2900, 4900]),
                    "EUR",
                    Course.Status.PUBLISHED.value,
                    now - timedelta(minutes=n),
                    now,
                    now,
                    0,  # rating average and count: stored from the ratings below
                    0,
                    rnd.randint(0, 5000),
                )
            )
            # Real (bulk) enrollments and ratings by the demo learners; the course's average
            # and count are then computed from them below, never made up.
            for user_id in rnd.sample(crowd, rnd.randint(0, 6)):
                enrollments.append((user_id, course_id, Enrollment.Source.ADMIN.value, now, ""))
                ratings.append(
                    (user_id, course_id, rnd.choices([5, 4, 3, 2, 1], [45, 35, 12, 5, 3])[0],
                     "", "", 0, False, "", now, now)
                )  # fmt: skip
        copy_rows(Section, ["id", "course_id", "title", "position"], sections)
        copy_rows(Lesson, LESSON_COLUMNS, lessons)
        copy_rows(Course, COURSE_COLUMNS, courses)
        copy_rows(Enrollment, ENROLLMENT_COLUMNS, enrollments)
        copy_rows(Rating, RATING_COLUMNS, ratings)
        store_rating_summaries(course_ids)


LESSON_COLUMNS = ["section_id", "course_id", "title", "slug", "position", "kind", "video_url",
                  "body", "file", "estimated_minutes", "is_preview"]  # fmt: skip
COURSE_COLUMNS = ["id", "title", "slug", "subtitle", "description", "outcomes", "cover",
                  "category_id", "level", "language", "duration_minutes", "price_amount",
                  "currency", "status", "published_at", "created_at", "updated_at",
                  "rating_average", "rating_count", "enrollment_count"]  # fmt: skip
ENROLLMENT_COLUMNS = ["user_id", "course_id", "source", "created_at", "revoked_reason"]
RATING_COLUMNS = ["user_id", "course_id", "stars", "title", "body", "helpful_count", "is_hidden",
                  "hidden_reason", "created_at", "updated_at"]  # fmt: skip


def store_rating_summaries(course_ids: list[int]) -> None:
    """Each course's average and count from its ratings, in one statement for a whole batch.

    The same numbers as ratings.services computes per course (rounded half up to 2 places);
    every synthetic rating is public (not hidden, its author enrolled).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE courses_course AS course
               SET rating_average = round(summary.average, 2), rating_count = summary.n
              FROM (SELECT course_id, avg(stars) AS average, count(*) AS n
                      FROM ratings_rating WHERE course_id = ANY(%s)
                     GROUP BY course_id) AS summary
             WHERE course.id = summary.course_id
            """,
            [course_ids],
        )


def copy_rows(model, columns: list[str], rows: list[tuple]) -> None:
    statement = "COPY {} ({}) FROM STDIN".format(model._meta.db_table, ", ".join(columns))
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def next_ids(model, count: int) -> list[int]:
    """Reserve primary keys from the table's sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]
