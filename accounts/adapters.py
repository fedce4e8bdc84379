"""allauth glue: its emails are rendered here and delivered by Celery; the welcome email."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from accounts.services import send_welcome_email
from core.emails import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email (text, and HTML when we have a template) and queue it."""
        context = {
            "email": email,
            "current_site": get_current_site(self.request),
            "site_url": settings.SITE_URL,
            **context,
        }
        subject = self.format_email_subject(
            " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        )
        text = render_to_string(f"{template_prefix}_message.txt", context).strip()
        try:
            html = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:
            html = None
        queue_email(to=[email], subject=subject, text=text, html=html)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Ask for the password again unless the person logged in a few minutes ago.

        allauth counts only an explicit re-entry of the password (or a 2FA code); a login
        within ACCOUNT_REAUTHENTICATION_TIMEOUT is just as fresh, so asking again right
        after it would only annoy. An older session must prove it is still its owner.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request or context.request
        return not _authenticated_within_timeout(request)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Mark the address verified; a learner's first confirmed address gets a welcome."""
        first = not EmailAddress.objects.filter(
            user_id=email_address.user_id, verified=True
        ).exists()
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first:
            send_welcome_email(user=email_address.user)
        return confirmed


def _authenticated_within_timeout(request: HttpRequest | None) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    last = max(record["at"] for record in records)
    return time.time() - last < account_settings.REAUTHENTICATION_TIMEOUT


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request: HttpRequest, provider, client_id=None):
        """A provider without keys (its URLs exist all the same) is a 404, not a 500."""
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise Http404("This sign-in method is not available.") from exc

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        """Google and GitHub vouch for the address, so these sign-ups are welcomed at once."""
        user = super().save_user(request, sociallogin, form)
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            send_welcome_email(user=user)
        return user
