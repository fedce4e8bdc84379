"""Markdown to safe HTML: rendered by Python-Markdown, then sanitised by nh3 (an allow-list).

Building a Markdown parser (loading its extensions) costs more than most conversions, so each
thread keeps one and resets it before every document (reset() clears reference links,
footnotes and abbreviations, so nothing leaks from one text into the next). A parser is not
safe to share between threads, hence one per thread (gunicorn's threaded workers, Celery).
Rendered HTML is also kept per process, keyed by a hash of the text: course descriptions,
lesson bodies and comments are rendered again and again, unchanged.
"""

import hashlib
import threading
from collections import OrderedDict

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

FULL_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "del", "sup", "sub", "dl", "dt", "dd",
}  # fmt: skip
# Comments and reviews: no headings, images or tables.
BASIC_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "del",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
EXTENSIONS = ["extra", "sane_lists"]
# Entries kept per process; texts above the size limit are rendered every time, so the cache
# stays within a few megabytes.
CACHE_ENTRIES = 1024
CACHE_MAX_TEXT = 20_000

_attributes = {
    basic: {k: v for k, v in ATTRIBUTES.items() if k in (BASIC_TAGS if basic else FULL_TAGS)}
    for basic in (False, True)
}
_local = threading.local()
_rendered: OrderedDict[bytes, str] = OrderedDict()
_rendered_lock = threading.Lock()


def _parser() -> md.Markdown:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return parser


def _render(text: str, basic: bool) -> str:
    parser = _parser()
    # Reset before (not only after) converting: a conversion that raised leaves state behind.
    html = parser.reset().convert(text)
    return nh3.clean(
        html,
        tags=BASIC_TAGS if basic else FULL_TAGS,
        attributes=_attributes[basic],
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text: str, *, basic: bool = False) -> SafeString:
    """Render user or staff Markdown to HTML that is safe to put in a page as is."""
    text = text or ""
    if len(text) > CACHE_MAX_TEXT:
        return mark_safe(_render(text, basic))  # noqa: S308 - nh3 has just sanitised it
    key = hashlib.blake2b(text.encode(), digest_size=16, person=b"b" if basic else b"f").digest()
    with _rendered_lock:
        clean = _rendered.get(key)
        if clean is not None:
            _rendered.move_to_end(key)
    if clean is None:
        clean = _render(text, basic)
        with _rendered_lock:
            _rendered[key] = clean
            if len(_rendered) > CACHE_ENTRIES:
                _rendered.popitem(last=False)
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it
