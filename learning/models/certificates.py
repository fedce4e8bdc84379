"""Certificates of completion: one per enrollment, public through an unguessable code.

A row may exist before the certificate is issued (``issued_at`` empty) to keep the name the
learner chose for it; once issued, the name, date and signed credential never change.
Revoking (a refund, a lost dispute) marks it; re-enrolling restores it.
"""

import secrets

from django.db import models
from django.urls import reverse

from learning.models.enrollments import Enrollment


def new_code() -> str:
    # 128 bits of randomness: the code is the only key to the public verification page.
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=40, unique=True, default=new_code, editable=False)
    learner_name = models.CharField("name on certificate", max_length=120, blank=True)
    course_title = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    credential = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["issued_at"], name="certificate_issued")]

    def __str__(self) -> str:
        return f"Certificate {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.code])

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def is_valid(self) -> bool:
        return self.issued_at is not None and self.revoked_at is None
