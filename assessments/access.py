"""The doors to assessment records: an assessment or a posture photo the user may reach,
else 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Assessment, PosturePhoto
from .records import with_sections


def get_assessment_for(user, pk: int) -> Assessment:
    """The assessment if its client is in the user's scope, with every section, else 404."""
    return get_object_or_404(
        with_sections(Assessment.objects.for_user(user)).select_related(
            "client", "specialist", "client__specialist"
        ),
        pk=pk,
    )


def get_photo_for(user, pk: int) -> PosturePhoto:
    """The posture photo if its client is in the user's scope, else 404 (never a 403: a
    photo's existence is not disclosed)."""
    return get_object_or_404(
        PosturePhoto.objects.for_user(user).select_related(
            "assessment__client", "landmarks_placed_by"
        ),
        pk=pk,
    )
