"""Tags for <head>: captured title text, absolute URLs and JSON-LD (no queries: pure data)."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import seo

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        text = re.sub(r"\s+", " ", self.nodelist.render(context)).strip()
        # Like {% url ... as name %}: set in the current scope, so later tags at the same
        # level (the rest of <head>) see it.
        context[self.name] = mark_safe(text)  # noqa: S308 - rendered, escaped output
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """{% capture as name %}...{% endcapture %}: render once (blocks inside still override),
    use twice, e.g. the page title in <title> and in og:title."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def as_attribute(text: str) -> str:
    """Rendered HTML text (entities, maybe stray tags) as a plain attribute value."""
    plain = re.sub(r"<[^>]*>", "", str(text))
    return escape(html.unescape(plain))


@register.filter
def absolute(path_or_url: str) -> str:
    return seo.absolute_url(str(path_or_url))


@register.simple_tag
def course_jsonld(course, minutes: int | None = None) -> SafeString:
    return seo.jsonld_script(seo.course_data(course, minutes=minutes))


@register.simple_tag
def blog_posting_jsonld(post) -> SafeString:
    return seo.jsonld_script(seo.blog_posting_data(post))


@register.simple_tag
def item_list_jsonld(page_obj) -> SafeString:
    """An ItemList of the courses on one page of results, positions counted across pages."""
    if page_obj is None or not page_obj.object_list:
        return mark_safe("")
    urls = [course.get_absolute_url() for course in page_obj.object_list]
    return seo.jsonld_script(seo.item_list_data(urls, start=page_obj.start_index()))
