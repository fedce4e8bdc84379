"""Reading pages as a person with a screen reader would: inputs and their labels."""

from html.parser import HTMLParser


class _FormControls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"}:
            self.controls.append({"tag": tag, **attrs})


def unlabelled_inputs(html: str) -> list[dict]:
    """Visible form controls with no <label for> (the header search box has a hidden one)."""
    parser = _FormControls()
    parser.feed(html)
    return [
        control
        for control in parser.controls
        if control.get("type") not in {"hidden", "submit", "button"}
        and control.get("id") not in parser.label_for
        and not control.get("aria-label")
    ]


def input_named(html: str, name: str) -> dict | None:
    parser = _FormControls()
    parser.feed(html)
    return next((c for c in parser.controls if c.get("name") == name), None)


def input_with_id(html: str, element_id: str) -> dict | None:
    parser = _FormControls()
    parser.feed(html)
    return next((c for c in parser.controls if c.get("id") == element_id), None)
