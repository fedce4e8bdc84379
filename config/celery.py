"""The one Celery application: settings come from Django's, namespaced CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("dataschool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules that are not an app's tasks.py.
app.autodiscover_tasks(["learning.announcements"])
