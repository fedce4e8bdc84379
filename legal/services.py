"""Publishing a new version of a legal page, and recording a learner's acceptance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from legal.models import LegalDocument, LegalVersion, TermsAcceptance
from legal.selectors import current_version


def publish_version(
    *, document: LegalDocument, body: str, published_by=None, change_note: str = ""
) -> LegalVersion:
    """The next numbered version of `document`; earlier versions stay as they were."""
    if not body.strip():
        raise ValidationError("A legal page needs some text.")
    with transaction.atomic():
        # The document row is the lock: two staff publishing at once get numbers n and n+1,
        # never the same number twice.
        LegalDocument.objects.select_for_update().get(pk=document.pk)
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        return LegalVersion.objects.create(
            document=document,
            number=last + 1,
            body=body,
            change_note=change_note,
            published_at=timezone.now(),
            published_by=published_by,
        )


def record_terms_acceptance(*, user, source: str = "signup") -> TermsAcceptance:
    """The terms and privacy versions current right now, as accepted by `user`."""
    return TermsAcceptance.objects.create(
        user=user,
        terms_version=current_version(LegalDocument.Kind.TERMS),
        privacy_version=current_version(LegalDocument.Kind.PRIVACY),
        source=source,
    )
