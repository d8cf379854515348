"""The door to assessment records: an assessment the user may reach, else 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Assessment
from .records import with_sections


def get_assessment_for(user, pk: int) -> Assessment:
    """The assessment if its client is in the user's scope, with every section, else 404."""
    return get_object_or_404(
        with_sections(Assessment.objects.for_user(user)).select_related(
            "client", "specialist", "client__specialist"
        ),
        pk=pk,
    )
