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
