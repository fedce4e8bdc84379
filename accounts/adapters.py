"""allauth glue: its emails are rendered here and delivered by Celery."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from core.emails import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "email": email, "current_site": self.request_site(context)}
        subject = self.format_email_subject(
            " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        )
        text = render_to_string(f"{template_prefix}_message.txt", context, self.request)
        try:
            html = render_to_string(f"{template_prefix}_message.html", context, self.request)
        except TemplateDoesNotExist:
            html = None
        queue_email(to=[email], subject=subject, text=text, html=html)

    def request_site(self, context: dict):
        from django.contrib.sites.shortcuts import get_current_site

        return context.get("current_site") or get_current_site(self.request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
