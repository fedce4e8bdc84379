"""Lesson file downloads: the same access rule as the lesson page, then either the bytes
(locally, with HTTP range requests for video seeking) or an X-Accel-Redirect for nginx."""

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from courses.storage import LessonFieldFile
from learning.selectors import Access, lesson_page

# One range only ("bytes=500-999", "bytes=500-", "bytes=-500"); a multi-range request is
# answered with the whole file, which RFC 9110 allows.
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSATISFIABLE = "unsatisfiable"


@require_safe
def lesson_file(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    study = lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    if study.access == Access.LOGIN:
        return redirect_to_login(request.get_full_path())
    # Not enrolled, refunded or revoked: as if the file did not exist.
    if study.access != Access.OPEN or not study.lesson.file:
        raise Http404("No such file.")
    if settings.PROTECTED_FILES_X_ACCEL:
        response = accel_redirect(study.lesson.file)
    else:
        response = stream(request, study.lesson.file)
    # A paid file may sit in the learner's own browser cache, never in a shared one.
    patch_cache_control(response, private=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def accel_redirect(file: LessonFieldFile) -> HttpResponse:
    """Headers only: nginx serves the bytes (and ranges) from its internal location."""
    response = HttpResponse(content_type=content_type_of(file.original_name))
    prefix = settings.PROTECTED_FILES_X_ACCEL_PREFIX.rstrip("/")
    response.headers["X-Accel-Redirect"] = f"{prefix}/{quote(file.name)}"
    response.headers["Content-Disposition"] = content_disposition_header(True, file.original_name)
    return response


def stream(request: HttpRequest, file: LessonFieldFile) -> HttpResponse:
    try:
        size = file.storage.size(file.name)
        modified = http_date(file.storage.get_modified_time(file.name).timestamp())
        handle = file.storage.open(file.name, "rb")
    except OSError:
        raise Http404("No such file.") from None  # the row points at a file no longer on disk
    wanted = requested_range(request, size, modified)
    if wanted == UNSATISFIABLE:
        handle.close()
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{size}"
        response.headers["Accept-Ranges"] = "bytes"
        return response
    kwargs = {
        "as_attachment": True,
        "filename": file.original_name,
        "content_type": content_type_of(file.original_name),
    }
    if wanted is None:
        response = FileResponse(handle, **kwargs)
    else:
        start, end = wanted
        handle.seek(start)
        response = FileResponse(Slice(handle, end - start + 1), status=206, **kwargs)
        response.headers["Content-Length"] = str(end - start + 1)
        response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Last-Modified"] = modified
    return response


def requested_range(request: HttpRequest, size: int, modified: str):
    """(first, last) byte positions to send, None for the whole file, or UNSATISFIABLE."""
    header = request.headers.get("Range", "").replace(" ", "")
    match = SINGLE_RANGE.match(header)
    if not match:
        return None
    # If-Range: the client's partial copy is of an older version; send it the whole file.
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != modified:
        return None
    first, last = match.groups()
    if not first and not last:
        return UNSATISFIABLE
    if not first:  # the final N bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else UNSATISFIABLE
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return UNSATISFIABLE
    return start, end


class Slice:
    """At most `length` bytes of an open file, read from its current position."""

    def __init__(self, handle, length: int):
        self.handle = handle
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()
