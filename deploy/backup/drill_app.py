"""The app's side of the restore drill: make real changes, and describe the data.

    python deploy/backup/drill_app.py activity         # learners, orders, enrollments,
                                                      # progress, avatars, lesson files
    python deploy/backup/drill_app.py snapshot         # JSON: counts and digests

Run by restore_drill.py with DATABASE_URL, MEDIA_ROOT and PROTECTED_MEDIA_ROOT pointing at
the cluster and folders under test. Changes go through the app's services (enroll,
start_checkout with the local test gateway, fulfil_order, complete_lesson), as a learner's
clicks would.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.models import User  # noqa: E402
from core.management.commands._backup_roots import upload_roots  # noqa: E402
from courses.models import Course, Lesson  # noqa: E402
from learning.models import Enrollment, LessonProgress  # noqa: E402
from learning.services import complete_lesson, enroll  # noqa: E402
from purchases.gateways import get_gateway  # noqa: E402
from purchases.models import Order  # noqa: E402
from purchases.services.checkout import start_checkout  # noqa: E402
from purchases.services.fulfilment import fulfil_order  # noqa: E402

DOMAIN = "drill.example"


def _avatar(round_number: int, who: str) -> ContentFile:
    buffer = io.BytesIO()
    colour = ((round_number * 37) % 256, (round_number * 91) % 256, 200 if who == "a" else 60)
    Image.new("RGB", (16, 16), colour).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="avatar.jpg")


def _learner(round_number: int, who: str) -> User:
    user = User.objects.create_user(email=f"drill-r{round_number}-{who}@{DOMAIN}", password=None)
    user.avatar.save("avatar.jpg", _avatar(round_number, who))
    return user


def _study(enrollment: Enrollment, lessons: int) -> None:
    for lesson in Lesson.objects.filter(course=enrollment.course).order_by("position", "id")[
        :lessons
    ]:
        complete_lesson(enrollment=enrollment, lesson=lesson)


def activity() -> int:
    """One round of changes, numbered after the rounds already in the database; returns it."""
    round_number = User.objects.filter(email__endswith=f"-a@{DOMAIN}").count() + 1
    published = Course.objects.filter(status="published").exclude(lessons=None).order_by("id")
    free = list(published.filter(price_amount=0))
    paid = list(published.filter(price_amount__gt=0))
    if not free or not paid:
        raise SystemExit("Seed the demo courses first (manage.py seed_demo).")

    reader = _learner(round_number, "a")
    enrollment = enroll(
        user=reader, course=free[round_number % len(free)], source=Enrollment.Source.FREE
    )
    _study(enrollment, 2)

    buyer = _learner(round_number, "b")
    course = paid[round_number % len(paid)]
    order = start_checkout(
        user=buyer,
        course=course,
        success_url="http://127.0.0.1/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://127.0.0.1/cancel",
    )
    # The learner pays on the local test checkout: the same paid session a webhook carries.
    session = get_gateway().retrieve_session(order.checkout_session_id)
    paid_session = replace(session, status="complete", payment_status="paid")
    fulfil_order(order_id=order.pk, session=paid_session, cause="restore drill payment")
    _study(Enrollment.objects.get(user=buyer, course=course), 1)

    # Paid lesson files: one new, the previous round's rewritten, the one before removed, so
    # a point-in-time restore has to bring back other contents than the latest.
    folder = upload_roots()["protected"] / "lesson-files"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"drill-r{round_number}.txt").write_text(f"Lesson file of round {round_number}\n")
    previous = folder / f"drill-r{round_number - 1}.txt"
    if previous.exists():
        previous.write_text(f"Lesson file of round {round_number - 1}, revised\n")
    (folder / f"drill-r{round_number - 2}.txt").unlink(missing_ok=True)
    cache.delete_pattern("*")  # this run's own prefix only (CACHE_KEY_PREFIX is the drill's)
    return round_number


def _digest(rows) -> str:
    return hashlib.sha256("\n".join(map(str, rows)).encode()).hexdigest()[:16]


def snapshot() -> dict:
    """Counts and digests of the rows the drill checks, and uploads the database names."""
    media = Path(settings.MEDIA_ROOT)
    avatars = [name for name in User.objects.exclude(avatar="").values_list("avatar", flat=True)]
    orders = Order.objects.order_by("id").values_list("id", "number", "status")
    enrollments = Enrollment.objects.order_by("id").values_list("id", "user_id", "revoked_at")
    progress = LessonProgress.objects.order_by("id").values_list("id", "enrollment_id", "lesson_id")
    return {
        "orders": {"count": orders.count(), "digest": _digest(orders)},
        "paid_orders": Order.objects.filter(status=Order.Status.PAID).count(),
        "enrollments": {"count": enrollments.count(), "digest": _digest(enrollments)},
        "progress": {"count": progress.count(), "digest": _digest(progress)},
        "users": User.objects.count(),
        "avatar_files_missing": sum(not (media / name).is_file() for name in avatars),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["activity"]:
        print(activity())
    elif sys.argv[1:2] == ["snapshot"]:
        print(json.dumps(snapshot(), sort_keys=True))
    else:
        raise SystemExit(__doc__)
