"""Writes on assessments: start one once consent allows it, save a section at its version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from core import locking

from .models import Assessment

CONSENT_REQUIRED = "Record the client's informed consent before saving an assessment."


def check_consent(client, *, guardian_missing: str | None) -> None:
    """Raise ValidationError unless the client consented and, for a minor, a guardian did
    (``guardian_missing`` is clients.guardian's reason for the assessment date, or None)."""
    if not client.has_consent:
        raise ValidationError(CONSENT_REQUIRED)
    if guardian_missing:
        raise ValidationError(guardian_missing)


def create_assessment(form, *, client, by) -> Assessment:
    """Save the assessment the start form describes, for ``client``, signed by ``by``."""
    assessment = form.save(commit=False)
    assessment.client = client
    assessment.specialist = by
    assessment.save()
    client.touch()
    return assessment


def save_section(form, *, assessment: Assessment, expected: int | None) -> None:
    """Save one section's form if the assessment is still at version ``expected``.

    Raises ``locking.Conflict`` (nothing saved) when someone saved the assessment since.
    """
    with locking.claimed(Assessment, assessment.pk, expected):
        form.save()
        Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
        assessment.client.touch()
