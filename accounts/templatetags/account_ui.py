"""Template helpers for the account pages: settings navigation, resend form, title clean-up."""

from django import template
from django.conf import settings
from django.urls import reverse

from accounts.forms import ResendVerificationForm

register = template.Library()

# (URL name, label, URL names that count as "this section")
_SECTIONS = [
    ("accounts:profile", "Profile", {"accounts:profile"}),
    ("account_email", "Email addresses", {"account_email"}),
    (
        "account_change_password",
        "Password",
        {"account_change_password", "account_set_password"},
    ),
    (
        "mfa_index",
        "Two-factor authentication",
        {
            "mfa_index",
            "mfa_activate_totp",
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
        },
    ),
    ("socialaccount_connections", "Connected accounts", {"socialaccount_connections"}),
    ("accounts:delete", "Delete account", {"accounts:delete"}),
]


@register.inclusion_tag("accounts/_account_nav.html", takes_context=True)
def account_nav(context) -> dict:
    """Links to every account settings page; the current one is marked for screen readers."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    links = []
    for url_name, label, section in _SECTIONS:
        if url_name == "socialaccount_connections" and not settings.SOCIALACCOUNT_PROVIDERS:
            continue
        links.append({"url": reverse(url_name), "label": label, "current": current in section})
    return {"links": links}


@register.inclusion_tag("account/_resend_verification.html", takes_context=True)
def resend_verification_form(context) -> dict:
    """The resend form: the one that failed validation, or a new one with the learner's address."""
    form = context.get("resend_form")
    if form is None:
        user = context.get("user")
        email = user.email if user is not None and user.is_authenticated else ""
        form = ResendVerificationForm(initial={"email": email} if email else None)
    return {"form": form}


@register.filter
def squish(value: str) -> str:
    """Collapse runs of whitespace, as allauth's block titles span several lines."""
    return " ".join(str(value).split())
