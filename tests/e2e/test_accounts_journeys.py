"""Account journeys in a real browser: sign up and verify, two-factor login, password reset.

Inputs are found by allauth's field names (login, password, email, password1, password2,
code) and buttons by their type, so the journeys survive a restyle of allauth's templates.
Who is logged in is read from the browser's session, the way the server sees it.
"""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import link_in_last_email
from tests.factories import DEFAULT_PASSWORD, UserFactory

TOTP_SECRET_SESSION_KEY = "mfa.totp.secret"  # where allauth keeps the secret being activated
NEW_PASSWORD = "a-brand-new-passphrase-42"


# --- helpers ------------------------------------------------------------------------------


def totp_code(secret: str, *, at: float | None = None, period: int = 30) -> str:
    """RFC 6238 six-digit code (HMAC-SHA1), as an authenticator app would show it."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_totp_code(secret: str, period: int = 30) -> str:
    """The current code, waiting out the last seconds of a period so it is still valid on arrival
    (allauth accepts only the current period's code)."""
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.1)
    return totp_code(secret, period=period)


def session(page) -> SessionStore:
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=cookie["value"])


def logged_in_user_id(page) -> int | None:
    if not any(c["name"] == "sessionid" for c in page.context.cookies()):
        return None
    user_id = session(page).get(SESSION_KEY)
    return int(user_id) if user_id is not None else None


SUBMIT = "button[type=submit]:not([form]), input[type=submit]"


def submit_form_with(page, field_name: str) -> None:
    """Click the submit button of the form holding the named input."""
    page.locator(f"form:has([name={field_name}])").locator(SUBMIT).first.click()


def confirm(page) -> None:
    """Click the submit button of the page's one POST form (not the header's log-out form)."""
    page.locator("form[method=post]:not([action*=logout])").locator(SUBMIT).first.click()


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit_form_with(page, "password")


def expect_logged_in_as(page, user: User) -> None:
    """Waits for the site's account menu (shown only to a logged-in user), then checks who."""
    expect(page.locator("nav[aria-label=Account] summary")).to_be_visible()
    assert logged_in_user_id(page) == user.pk


def log_out_from_header(page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    account_nav = page.locator("nav[aria-label=Account]")
    account_nav.locator("summary").click()
    account_nav.get_by_role("button", name="Log out").click()
    expect(account_nav.get_by_role("link", name="Log in")).to_be_visible()


@pytest.fixture(autouse=True)
def _fail_fast(page):
    page.set_default_timeout(10_000)


# --- sign up and verify -------------------------------------------------------------------


def test_a_visitor_signs_up_verifies_their_email_and_is_logged_in(page, base_url, shoot):
    page.goto(f"{base_url}/accounts/signup/")
    shoot("signup-form")
    page.fill("input[name=email]", "newcomer@example.com")
    page.fill("input[name=password1]", DEFAULT_PASSWORD)
    page.fill("input[name=password2]", DEFAULT_PASSWORD)
    page.check("input[name=accept_terms]")
    submit_form_with(page, "password1")

    page.wait_for_url("**/accounts/confirm-email/")
    shoot("signup-verify-your-email")
    user = User.objects.get(email="newcomer@example.com")
    assert user.terms_acceptances.count() == 1
    assert not user.emailaddress_set.get().verified
    assert logged_in_user_id(page) is None

    link = link_in_last_email(r"https?://\S+/accounts/confirm-email/[^\s/]+/")
    page.goto(link)
    shoot("signup-confirm-email")
    confirm(page)

    expect_logged_in_as(page, user)
    shoot("signup-verified")
    assert user.emailaddress_set.get().verified


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_a_visitor_without_javascript_has_the_verification_link_sent_again(page, base_url, shoot):
    user = UserFactory(email="waiting@example.com", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    page.goto(f"{base_url}/accounts/confirm-email/")
    page.fill("input[name=email]", "waiting@example.com")
    submit_form_with(page, "email")

    expect(page.get_by_text("a new link is on its way")).to_be_visible()
    shoot("verification-resent")
    link = link_in_last_email(r"https?://\S+/accounts/confirm-email/[^\s/]+/")
    assert mail.outbox[-1].to == ["waiting@example.com"]
    page.goto(link)
    confirm(page)
    expect(page.get_by_text("You have confirmed")).to_be_visible()
    assert user.emailaddress_set.get().verified


# --- two-factor authentication ------------------------------------------------------------


def test_a_learner_enables_totp_then_logs_back_in_with_password_and_code(page, base_url, shoot):
    user = UserFactory(email="careful@example.com")
    log_in(page, base_url, user.email, DEFAULT_PASSWORD)
    expect_logged_in_as(page, user)

    page.goto(f"{base_url}/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again before 2FA changes
        shoot("totp-confirm-password")
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        submit_form_with(page, "password")
        page.wait_for_url("**/accounts/2fa/totp/activate/")
    shoot("totp-activate")
    secret = session(page)[TOTP_SECRET_SESSION_KEY]
    page.fill("input[name=code]", fresh_totp_code(secret))
    submit_form_with(page, "code")

    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES)
    if recovery.exists():  # allauth shows the fresh recovery codes once TOTP is on
        expect(page.locator("body")).to_contain_text(
            RecoveryCodes(recovery.get()).get_unused_codes()[0]
        )
        shoot("totp-recovery-codes")

    log_out_from_header(page, base_url)
    assert logged_in_user_id(page) is None

    log_in(page, base_url, user.email, DEFAULT_PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    shoot("totp-enter-code")
    assert logged_in_user_id(page) is None  # the password alone is not enough
    page.fill("input[name=code]", fresh_totp_code(secret))
    submit_form_with(page, "code")

    expect_logged_in_as(page, user)
    shoot("totp-logged-in")


def test_a_wrong_totp_code_is_refused_with_a_message(page, base_url, shoot):
    user = UserFactory(email="careful@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    now = time.time()
    valid_now = {totp_code(secret, at=now + shift) for shift in (-30, 0, 30)}
    wrong = next(code for code in ("123456", "654321", "000001") if code not in valid_now)

    log_in(page, base_url, user.email, DEFAULT_PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", wrong)
    submit_form_with(page, "code")

    expect(page.locator("body")).to_contain_text("Incorrect code")
    shoot("totp-wrong-code")
    assert "/accounts/2fa/authenticate/" in page.url
    assert logged_in_user_id(page) is None


# --- forgotten password -------------------------------------------------------------------


def test_a_learner_resets_a_forgotten_password_and_logs_in_with_the_new_one(page, base_url, shoot):
    user = UserFactory(email="forgetful@example.com")
    page.goto(f"{base_url}/accounts/password/reset/")
    shoot("reset-request")
    page.fill("input[name=email]", user.email)
    submit_form_with(page, "email")

    page.wait_for_url("**/accounts/password/reset/done/")
    shoot("reset-email-sent")
    link = link_in_last_email(r"https?://\S+/accounts/password/reset/key/\S+/")

    page.goto(link)
    page.wait_for_url("**/accounts/password/reset/key/*-set-password/")
    shoot("reset-new-password")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit_form_with(page, "password1")

    page.wait_for_url("**/accounts/password/reset/key/done/")
    shoot("reset-done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    log_in(page, base_url, user.email, NEW_PASSWORD)
    expect_logged_in_as(page, user)
    shoot("reset-logged-in")
