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
    CATEGORIES,
    COURSES,
    DEMO_CROWD_DOMAIN,
    DEMO_CROWD_NAMES,
    DEMO_FILES,
    RECEPTIONS,
    REVIEWS,
    VIDEOS,
)
from courses.models import Category, Course, Lesson, Section
from learning.announcements.demo import seed_demo_announcement
from learning.exercises.demo import ensure_demo_exercise
from learning.models import Enrollment
from learning.questions.demo import seed_questions_and_notes
from learning.quizzes.demo import seed_demo_quizzes
from learning.services import enroll
from pages.management.commands._synthetic import SYNTHETIC_PREFIX, insert_synthetic_batch
from ratings.models import Rating
from ratings.services import NewRating, rate_course_in_bulk, refresh_course_rating

INSTRUCTOR_EMAIL = "instructor@dataschool.local"
LEARNER_EMAILS = ["learner@dataschool.local", "learner2@dataschool.local"]
DRIP_DEMO_COURSE, DRIP_DEMO_DAYS = "sql-fundamentals", 7
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
        seed_demo_quizzes()
        ensure_demo_exercise(course=Course.objects.get(slug="sql-fundamentals"))
        self.drip_demo_section()
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
        seed_questions_and_notes(
            course=Course.objects.get(slug="sql-fundamentals"),
            learner=learners[0],
            staff=instructor,
        )
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

    def drip_demo_section(self) -> None:
        """The last section of SQL Fundamentals opens a week after enrolment (drip release),
        so the demo learner sees a locked section with its opening day. Set once: a rule
        staff changed later is left alone."""
        sections = Section.objects.filter(course__slug=DRIP_DEMO_COURSE)
        section = sections.order_by("-position").first()
        if section is None or sections.count() < 2:
            return
        if section.release_after_days is None and section.release_on is None:
            section.release_after_days = DRIP_DEMO_DAYS
            section.save(update_fields=["release_after_days"])

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
                insert_synthetic_batch(
                    numbers=range(start, stop), categories=categories, now=now, crowd=crowd
                )
                bar.update(stop - start)
        # Fresh planner statistics, so search uses the GIN index on the grown table at once.
        # (VACUUM cannot run inside a transaction, e.g. a test's: plain ANALYZE there.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Course, Section, Lesson, Enrollment, Rating):
                cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(self.style.SUCCESS(f"Created {missing} synthetic courses."))
