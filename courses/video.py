"""Turn a lesson's video URL into an embeddable player URL, for the hosts we trust."""

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com"}  # fmt: skip
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_ID = re.compile(r"^\d{1,12}$")


def embed_url(url: str) -> str | None:
    """The privacy-friendly player URL for a YouTube or Vimeo link; None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
        if video_id and YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be":
        if len(segments) == 1 and YOUTUBE_ID.match(segments[0]):
            return f"https://www.youtube-nocookie.com/embed/{segments[0]}"
    elif host in VIMEO_HOSTS:
        if host == "player.vimeo.com" and segments[:1] == ["video"] and len(segments) == 2:
            video_id = segments[1]
        elif host != "player.vimeo.com" and len(segments) == 1:
            video_id = segments[0]
        if video_id and VIMEO_ID.match(video_id):
            return f"https://player.vimeo.com/video/{video_id}"
    return None
