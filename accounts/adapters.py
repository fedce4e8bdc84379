"""allauth glue: its emails are rendered here and delivered by Celery; the welcome email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
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
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": (
            "An account with this email address already exists. "
            "Log in, or reset your password if you forgot it."
        ),
    }

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

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Mark the address verified; a learner's first confirmed address gets a welcome."""
        first = not EmailAddress.objects.filter(
            user_id=email_address.user_id, verified=True
        ).exists()
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first:
            send_welcome_email(user=email_address.user)
        return confirmed


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
