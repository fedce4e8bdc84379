"""First-run set-up for `make run`: an admin account and, on an empty site, the demo content."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from core.demo import ensure_admin


class Command(BaseCommand):
    help = "Create the demo admin (if missing) and load demo data when the site is empty."

    def handle(self, *args, **options) -> None:
        empty = not get_user_model().objects.exists()
        email, password = ensure_admin()
        if empty and "seed_demo" in get_commands():
            call_command("seed_demo", stdout=self.stdout)
        if empty and "seed_blog" in get_commands():
            call_command("seed_blog", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Data School is starting on " + settings.SITE_URL))
        self.stdout.write(f"  Admin login: {email} / {password}  ({settings.SITE_URL}/admin/)")
        self.stdout.write("  Emails (verification links) are printed by the Celery worker below.")
        self.stdout.write("")
