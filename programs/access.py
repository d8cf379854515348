"""Doors to program records: a version or an item the user may reach, else 404; a phase or
a share link of a version already reached."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Phase, ProgramExercise, ProgramVersion, ShareLink


def get_version_for(user, pk: int, *, with_pdf: bool = False) -> ProgramVersion:
    """The program version if its client is in the user's scope, else 404.

    The frozen PDF (FrozenPlan, about 90 KB) is read only by the downloads that send it.
    """
    versions = ProgramVersion.objects.for_user(user).select_related(
        "program__client__practice", "assessment", "ruleset", "created_by", "published_by"
    )
    return get_object_or_404(versions.select_related("frozen") if with_pdf else versions, pk=pk)


def get_item_for(user, pk: int) -> ProgramExercise:
    """An exercise of a program if its client is in the user's scope, else 404."""
    return get_object_or_404(
        ProgramExercise.objects.for_user(user).select_related(
            "phase__version__ruleset", "exercise"
        ),
        pk=pk,
    )


def get_phase_of(version: ProgramVersion, pk: int) -> Phase:
    """A phase of ``version`` (reached through ``get_version_for``), else 404."""
    return get_object_or_404(Phase, pk=pk, version=version)


def get_link_of(version: ProgramVersion, pk: int) -> ShareLink:
    """A share link of ``version`` (reached through ``get_version_for``), else 404."""
    return get_object_or_404(ShareLink, pk=pk, version=version)
