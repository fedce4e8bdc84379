"""Video position resume: where each learner stopped in a lesson video, and the player set to
start there next time.

Players report the position every few seconds (static/js/video-resume.js: HTML5 <video> for
uploaded files, the YouTube and Vimeo embeds through their postMessage protocols), and once
more with navigator.sendBeacon when the page is left. A video watched to 90 % completes the
lesson. Without JavaScript the video still plays; the start time is in the player's URL
(a media fragment, YouTube's `start`, Vimeo's `#t=`), so only the saving is lost.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from courses.models import Lesson
from learning.models import Enrollment, LessonProgress, VideoPosition
from learning.selectors import StudyPage
from learning.services import complete_lesson

COMPLETE_AT = 0.9  # share of the video watched that completes the lesson
# Players report a little past the end (rounding, a last timeupdate): tolerated, then clamped.
END_SLACK_SECONDS = 5.0
MAX_DURATION_SECONDS = 24 * 60 * 60
# Within this many seconds of the end the video counts as finished: next time it starts over.
RESTART_NEAR_END_SECONDS = 3.0


def parse_position(position: str | None, duration: str | None) -> tuple[float, float]:
    """Two numbers as the players send them; ValidationError for anything not plausible."""
    try:
        seconds, length = float(position), float(duration)
    except (TypeError, ValueError):
        raise ValidationError("position and duration must be numbers.") from None
    if not (math.isfinite(seconds) and math.isfinite(length)):
        raise ValidationError("position and duration must be finite numbers.")
    if not 0 < length <= MAX_DURATION_SECONDS:
        raise ValidationError("duration is out of range.")
    if not 0 <= seconds <= length + END_SLACK_SECONDS:
        raise ValidationError("position is out of range.")
    return min(seconds, length), length


def is_video(study: StudyPage) -> bool:
    """Has this lesson a player whose position can be tracked (an embed or a video file)."""
    return bool(study.embed_url or study.file_is_video)


@transaction.atomic
def save_video_position(
    *, enrollment: Enrollment, lesson: Lesson, position: float, duration: float
) -> VideoPosition:
    """Remember where the learner is; at 90 % of the video the lesson is completed (once)."""
    saved, _ = VideoPosition.objects.update_or_create(
        enrollment=enrollment,
        lesson=lesson,
        defaults={"position_seconds": position, "duration_seconds": duration},
    )
    graded = lesson.kind in (Lesson.Kind.QUIZ, Lesson.Kind.EXERCISE)  # completed by passing
    if position / duration >= COMPLETE_AT and not graded:
        done = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).exists()
        if not done:
            complete_lesson(enrollment=enrollment, lesson=lesson)
    return saved


def resume_at(*, enrollment: Enrollment | None, lesson: Lesson) -> float:
    """The second the player should start at: where the learner stopped, 0 if finished."""
    if enrollment is None:
        return 0.0
    saved = VideoPosition.objects.filter(enrollment=enrollment, lesson=lesson).first()
    if saved is None:
        return 0.0
    if saved.position_seconds >= saved.duration_seconds - RESTART_NEAR_END_SECONDS:
        return 0.0
    return saved.position_seconds


@dataclass
class Player:
    """What the lesson template needs to start a player at the saved second and track it."""

    start: float
    position_url: str
    embed_src: str | None  # YouTube/Vimeo URL with the player API and the start time
    file_fragment: str  # "#t=12.5" for an uploaded video, "" at the start

    @property
    def start_attr(self) -> str:
        return f"{self.start:.1f}"


def player_for(*, study: StudyPage, origin: str) -> Player | None:
    """The resume player of an enrolled learner's video lesson; None otherwise (no tracking).

    `origin` is the site's scheme and host: YouTube posts its player events only to it.
    """
    enrollment = study.page.enrollment
    if enrollment is None or not is_video(study):
        return None
    start = resume_at(enrollment=enrollment, lesson=study.lesson)
    embed = study.embed_url
    if embed and "youtube" in embed:
        params = {"enablejsapi": "1", "origin": origin}
        if int(start):
            params["start"] = str(int(start))
        embed = f"{embed}?{urlencode(params)}"
    elif embed and int(start):
        embed = f"{embed}#t={int(start)}s"  # Vimeo's start time
    return Player(
        start=start,
        position_url=reverse(
            "learning:video_position", args=[study.page.course.slug, study.lesson.slug]
        ),
        embed_src=embed,
        file_fragment=f"#t={start:.1f}" if start else "",
    )
