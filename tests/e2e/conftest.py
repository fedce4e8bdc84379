"""Browser journeys: pytest-playwright on Debian's chromium against pytest-django's live server.

Screenshots go to test-artifacts/screenshots/ (ignored by git) at 360 px and 1280 px widths.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (360, 1280)

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def shoot(page):
    """shoot("name") saves the current page at 360 px and 1280 px wide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(name: str) -> None:
        original = page.viewport_size or {"width": 1280, "height": 800}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size(original)

    return _shoot


def link_in_last_email(pattern: str = r"https?://[^\s\"<>]+") -> str:
    """The first link in the newest email's text body that matches the pattern."""
    assert mail.outbox, "no email was sent"
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, f"no link matching {pattern!r} in: {mail.outbox[-1].body}"
    return match.group(0)


def login(page, base_url: str, email: str, password: str, next_url: str = "") -> None:
    """Log in through the real login form and wait until the site has let us in."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form:has(input[name=password]) button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: data must be committed to be seen there."""
