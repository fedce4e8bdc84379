"""Legal pages (privacy, terms, imprint, accessibility) as numbered, immutable versions.

A published version is never edited: staff publish a new one, so what a learner accepted at
sign-up (TermsAcceptance) stays readable at /legal/<kind>/v<number>/.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", "Privacy notice"
        TERMS = "terms", "Terms of use"
        IMPRINT = "imprint", "Imprint and contact"
        ACCESSIBILITY = "accessibility", "Accessibility statement"

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=120)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legal:page", args=[self.kind])


class LegalVersion(models.Model):
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    body = models.TextField(help_text="Markdown.")
    change_note = models.CharField(
        max_length=300, blank=True, help_text="What changed, for staff (not shown publicly)."
    )
    published_at = models.DateTimeField(editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="legal_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="legal_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.document.title}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("legal:version", args=[self.document.kind, self.number])


class TermsAcceptance(models.Model):
    """Which terms and privacy notice a person accepted, and when (one row per acceptance)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    # Null only if nothing was published yet when they signed up (an empty test site).
    terms_version = models.ForeignKey(
        LegalVersion, on_delete=models.PROTECT, null=True, related_name="+"
    )
    privacy_version = models.ForeignKey(
        LegalVersion, on_delete=models.PROTECT, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)
    # "signup" or "social-signup": how the box was ticked.
    source = models.CharField(max_length=20, default="signup")

    class Meta:
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["user", "-accepted_at"], name="legal_acceptance_user")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.terms_version}"
