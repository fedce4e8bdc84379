"""Markdown to safe HTML: rendered by Python-Markdown, then sanitised by nh3 (an allow-list)."""

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


def render_markdown(text: str, *, basic: bool = False) -> SafeString:
    """Render user or staff Markdown to HTML that is safe to put in a page as is."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    tags = BASIC_TAGS if basic else FULL_TAGS
    attributes = {k: v for k, v in ATTRIBUTES.items() if k in tags}
    clean = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it
