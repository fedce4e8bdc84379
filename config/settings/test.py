"""Tests: the real PostgreSQL and Redis, under their own database and key prefix."""

import os

from .base import *
from .base import CACHES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret-0b8e1f2a"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each run gets its own Redis key prefix; tests/conftest.py deletes its keys at the end.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default=f"dstest-{os.getpid()}")
MEDIA_ROOT = env("MEDIA_ROOT", default=f"/tmp/dataschool-test-media-{os.getpid()}")  # noqa: S108
PROTECTED_MEDIA_ROOT = env(
    "PROTECTED_MEDIA_ROOT",
    default=f"/tmp/dataschool-test-protected-{os.getpid()}",  # noqa: S108
)
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
STRIPE_SECRET_KEY = ""
LOGGING["root"]["level"] = "WARNING"
