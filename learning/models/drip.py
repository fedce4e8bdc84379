"""The sent-marker of the "a new section is open" email: one per enrollment and section."""

from django.db import models

from courses.models import Section
from learning.models.enrollments import Enrollment


class SectionOpenNotice(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="section_notices"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "section"], name="section_notice_unique_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · section {self.section_id}"
