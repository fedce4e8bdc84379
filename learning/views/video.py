"""The video position beacon: the player posts where the learner is (learning/video.py)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from learning import video
from learning.selectors import Access, lesson_page


@require_POST
def video_position(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    """204 when saved. Sent by fetch and navigator.sendBeacon, which cannot set headers: the
    CSRF token comes in the form body. A lesson the user may not study (or not yet) is a 404,
    as is one without a player; numbers that no player reports are a 400."""
    if not request.user.is_authenticated:
        raise Http404("No such lesson.")
    study = lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    enrollment = study.page.enrollment
    if enrollment is None or study.access != Access.OPEN or not video.is_video(study):
        raise Http404("No such lesson.")
    try:
        position, duration = video.parse_position(
            request.POST.get("position"), request.POST.get("duration")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
    video.save_video_position(
        enrollment=enrollment, lesson=study.lesson, position=position, duration=duration
    )
    return HttpResponse(status=204)
