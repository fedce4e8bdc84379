"""The local demo admin account, shared by bootstrap_demo and seed_demo."""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_ADMIN_EMAIL = "admin@dataschool.local"


def ensure_admin() -> tuple[str, str]:
    """Create (once) the local admin with a verified email; return its login for printing."""
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "learn-data-2026")
    User = get_user_model()
    user = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_superuser(DEMO_ADMIN_EMAIL, password, display_name="Admin")
    EmailAddress.objects.get_or_create(
        user=user, email=DEMO_ADMIN_EMAIL, defaults={"verified": True, "primary": True}
    )
    return DEMO_ADMIN_EMAIL, password
