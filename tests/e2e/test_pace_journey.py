"""A learner's pace through a course: a video that starts where she left it, and a dripped
section that is locked with its opening day, then opens."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Section
from learning.models import VideoPosition
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, EnrollmentFactory, UserFactory


def tiny_webm() -> bytes | None:
    """A 10-second test-pattern WebM made by ffmpeg (Debian), or None without it."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    pattern = "testsrc=duration=10:size=160x90:rate=10"
    command = [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", pattern]
    command += ["-c:v", "libvpx", "-b:v", "50k", "-f", "webm", "pipe:1"]
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        command,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.stdout if result.returncode == 0 and result.stdout else None


@pytest.fixture
def video_course():
    course = course_with_lessons(
        4, per_section=2, title="Data viz", slug="data-viz", price_amount=0
    )
    lesson = lessons_of(course)[0]
    lesson.kind = "file"
    lesson.title = "Charts that work"
    lesson.save()
    return course, lesson


def test_learner_leaves_a_video_and_comes_back_to_the_same_second(
    page, base_url, shoot, video_course
):
    course, lesson = video_course
    real = tiny_webm()
    # Without ffmpeg, the bytes are no playable video: the player's clock is set by hand below.
    lesson.file.save("charts.webm", ContentFile(real or b"\x1a\x45\xdf\xa3" * 64), save=True)
    learner = UserFactory(email="vera@example.com")
    enrollment = EnrollmentFactory(user=learner, course=course)
    login(page, base_url, learner.email, DEFAULT_PASSWORD)
    lesson_url = f"{base_url}/courses/data-viz/lessons/{lesson.slug}/"

    page.goto(lesson_url)
    video = page.locator("video[data-video-resume]")
    expect(video).to_have_attribute("data-start", "0.0")
    if real:
        page.wait_for_function("document.querySelector('video').readyState >= 1")
        video.evaluate("v => { v.currentTime = 4; }")
        page.wait_for_function("document.querySelector('video').currentTime >= 4")
        video.evaluate("v => v.dispatchEvent(new Event('pause'))")
    else:
        video.evaluate(
            """v => {
                Object.defineProperty(v, 'currentTime', {value: 4.2, configurable: true});
                Object.defineProperty(v, 'duration', {value: 10, configurable: true});
                v.dispatchEvent(new Event('timeupdate'));
            }"""
        )
    shoot("video-lesson")
    # She leaves the page: the script sends the position with sendBeacon on the way out.
    page.goto(f"{base_url}/courses/my-learning/")
    for _ in range(50):
        if VideoPosition.objects.filter(enrollment=enrollment, lesson=lesson).exists():
            break
        page.wait_for_timeout(100)
    saved = VideoPosition.objects.get(enrollment=enrollment, lesson=lesson)
    assert int(saved.position_seconds) == 4

    # Back on the lesson, the player starts at that second.
    page.goto(lesson_url)
    expect(video).to_have_attribute("data-start", re.compile(r"^4\.\d$"))
    expect(video).to_have_attribute("src", re.compile(r"#t=4\.\d$"))
    if real:
        page.wait_for_function("document.querySelector('video').readyState >= 1")
        assert int(video.evaluate("v => v.currentTime")) == 4


def test_learner_sees_a_locked_section_open(page, base_url, shoot):
    course = course_with_lessons(4, per_section=2, title="SQL paced", slug="sql-paced")
    later = course.sections.order_by("position").last()
    later.title = "Window functions"
    later.release_on = timezone.localdate() + timedelta(days=5)
    later.save()
    learner = UserFactory(email="omar@example.com")
    EnrollmentFactory(user=learner, course=course)
    login(page, base_url, learner.email, DEFAULT_PASSWORD)

    page.goto(f"{base_url}/courses/sql-paced/lessons/lesson-1/")
    outline = page.locator("#course-outline")
    expect(outline.get_by_text("Opens on")).to_have_count(2)
    expect(outline.get_by_role("link", name="Lesson 3")).to_have_count(0)
    shoot("drip-outline-locked")

    page.goto(f"{base_url}/courses/sql-paced/lessons/lesson-3/")
    expect(page.get_by_role("status")).to_contain_text("Window functions, which opens on")
    shoot("drip-lesson-locked")

    # The day comes (set on the server between two page loads).
    Section.objects.filter(pk=later.pk).update(release_on=timezone.localdate())
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 3")
    expect(page.get_by_text("which opens on")).to_have_count(0)
    expect(outline.get_by_role("link", name="Lesson 3")).to_be_visible()
    shoot("drip-lesson-open")
