"""Markdown rendering: sanitised output, one parser per thread, HTML kept by content hash."""

import threading

import markdown as python_markdown
import nh3
import pytest

from core import markdown as core_markdown
from core.markdown import render_markdown


def test_script_tags_are_neutralised():
    html = render_markdown("Hello <script>alert(1)</script> **world**")
    assert "<script" not in html
    assert "<strong>world</strong>" in html


def test_javascript_links_are_dropped():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_basic_markdown_has_no_headings_or_images():
    html = render_markdown("# Title\n\n![x](http://example.com/x.png)", basic=True)
    assert "<h1" not in html and "<img" not in html


def test_links_get_nofollow():
    assert 'rel="nofollow noopener noreferrer"' in render_markdown("[a](https://example.com)")


# --- One parser per thread, rendered HTML kept by content hash -------------------------------

SAMPLES = [
    "",
    "Plain text.",
    "# Heading\n\nParagraph with *em*, **strong**, `code` and ~~no strike~~.",
    'A [reference link][ref] and another [one][ref].\n\n[ref]: https://example.com "Title"',
    "Text with a footnote[^1].\n\n[^1]: The note.",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec.",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "```python\nprint('hi')\n```\n\n    indented code",
    "1. one\n2. two\n\n* a\n    * nested\n\n3) odd",
    "Term\n:   Definition",
    '<div markdown="1">*inside*</div> <script>alert(1)</script> <b onclick=x>b</b>',
    '![alt](https://example.com/x.png "t") ![js](javascript:alert(1)) [m](mailto:a@b.c)',
    "> quote\n>\n> - list in quote\n\n---\n\nH~2~O x^2^ <sup>1</sup>",
    "Line one  \nline two\n\n<h1>raw h1</h1> {: #id .class }",
    "Unicode: ünïcødé — “quotes” & <ampersands>",
]


def render_the_old_way(text: str, basic: bool) -> str:
    """render_markdown as it was: a new parser for every call."""
    tags = core_markdown.BASIC_TAGS if basic else core_markdown.FULL_TAGS
    html = python_markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=tags,
        attributes={k: v for k, v in core_markdown.ATTRIBUTES.items() if k in tags},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


@pytest.mark.parametrize("basic", [False, True])
def test_a_reused_parser_renders_every_sample_exactly_as_a_new_one(basic):
    for _ in range(2):  # the second round comes from the cache
        for text in SAMPLES:
            assert str(render_markdown(text, basic=basic)) == render_the_old_way(text, basic)


def test_references_and_footnotes_do_not_leak_into_the_next_text():
    render_markdown("[^1]: a note\n\n[ref]: https://leak.example.com\n\nx[^1]")
    html = render_markdown("Not a link: [ref] and no note[^1].")
    assert "leak.example.com" not in html
    assert "footnote" not in html


def test_basic_and_full_renderings_of_the_same_text_are_kept_apart():
    text = "# Title\n\n![x](https://example.com/x.png)"
    assert "<h1" not in render_markdown(text)  # h1 is not allowed, but the image is
    assert "<img" in render_markdown(text)
    assert "<img" not in render_markdown(text, basic=True)


def test_the_same_text_is_rendered_once(monkeypatch):
    calls = []
    real = core_markdown._render
    monkeypatch.setattr(core_markdown, "_render", lambda t, b: calls.append(t) or real(t, b))
    text = "Rendered *once* 7c1e2f"
    assert render_markdown(text) == render_markdown(text)
    assert calls == [text]


def test_threads_render_at_the_same_time_without_mixing_documents():
    results: dict[int, str] = {}

    def work(n: int) -> None:
        for i in range(30):
            text = f"Thread {n} item {i} [link][r]\n\n[r]: https://example.com/{n}"
            html = core_markdown._render(text, False)
            assert f"https://example.com/{n}" in html and f"Thread {n} item {i}" in html
        results[n] = "ok"

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: "ok" for n in range(4)}
