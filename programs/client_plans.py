"""A stored program version as the client's plan: the one ORM step before ``client_plan``."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from assessments import photo_overlay, photos
from assessments.models import PosturePhoto
from assessments.plain_words import SPECIALIST_TERMS
from clients.models import Clearance, Consent, Screening

from .client_plan import (
    BeforePhoto,
    ClearanceFact,
    ClientFacts,
    ClientPlan,
    before_photo,
    client_plan,
)
from .illustrations import load_poses
from .models import Phase, ProgramExercise, ProgramVersion

ITEM_FIELDS = (
    "phase_id",
    "position",
    "exercise__slug",
    "name",
    "sets",
    "reps",
    "hold_s",
    "tempo",
    "cues",
    "equipment",
    "notes",
    "findings",
)


def version_data(version: ProgramVersion) -> dict:
    """The version's content as ``client_plan`` reads it: two queries (phases, exercises)."""
    phases = list(Phase.objects.filter(version_id=version.pk).order_by("position", "id"))
    items: dict[int, list[dict]] = {phase.pk: [] for phase in phases}
    if items:
        for row in (
            ProgramExercise.objects.filter(phase_id__in=list(items))
            .order_by("phase_id", "position", "id")
            .values(*ITEM_FIELDS)
        ):
            row["slug"] = row.pop("exercise__slug")
            items[row["phase_id"]].append(row)
    draft = version.draft or {}
    return {
        "number": version.number,
        "starts_on": version.starts_on,
        "retest_on": version.retest_on,
        "published_on": version.published_at.date() if version.published_at else None,
        "assessed_on": version.assessment.assessed_on if version.assessment_id else None,
        "notes": version.notes,
        "findings": draft.get("findings", []),
        "referral": draft.get("referral", {}),
        "phases": [
            {
                "key": phase.key,
                "title": phase.title,
                "weeks": list(phase.weeks),
                "sessions_per_week": phase.sessions_per_week,
                "exercises": items[phase.pk],
            }
            for phase in phases
        ],
    }


def client_facts(version: ProgramVersion) -> ClientFacts:
    """The client's screenings and clearances, and who stands behind the plan: two queries."""
    client = version.program.client
    screenings = tuple(
        (s.screened_on, tuple(s.yes_numbers))
        for s in Screening.objects.filter(client_id=client.pk).order_by("screened_on", "id")
    )
    clearances = tuple(
        ClearanceFact(c.cleared_on, c.cleared_by)
        for c in Clearance.objects.filter(client_id=client.pk).order_by("cleared_on", "id")
    )
    by = version.published_by or version.created_by
    return ClientFacts(
        first_name=client.first_name,
        practice=client.practice.name,
        specialist=by.display_name(),
        population=version.population,
        screenings=screenings,
        clearances=clearances,
    )


# The before photo: a side photo (its CVA line) first, else the front one.
BEFORE_PHOTO_VIEWS = ("left", "right", "front")


def before_photo_for(version: ProgramVersion) -> BeforePhoto | None:
    """The before photo of the plan's assessment, when the client's latest consent lets
    photos appear in their plan: a side photo with its CVA, else the front photo. One query
    (the consent is read inside it); the files are read only then."""
    if version.assessment_id is None:
        return None
    latest_consent = (
        Consent.objects.filter(client_id=OuterRef("assessment__client_id"))
        .order_by("-consented_on", "-id")
        .values("photos_in_plan")[:1]
    )
    candidates = (
        PosturePhoto.objects.filter(
            assessment_id=version.assessment_id, view__in=BEFORE_PHOTO_VIEWS
        )
        .annotate(in_plan=Subquery(latest_consent))
        .filter(in_plan=True)
        .select_related("assessment")
    )
    measured = []
    for photo in candidates:
        angles = photos.angles_of(photo) if photo.landmarks else None
        measured.append((photo, angles, photo_overlay.cva_of(angles)))
    side = [m for m in measured if m[0].contract_view == "side" and m[2] is not None]
    front = [m for m in measured if m[0].view == "front"]
    chosen = min(side or front, key=lambda m: BEFORE_PHOTO_VIEWS.index(m[0].view), default=None)
    if chosen is None:
        return None
    photo, angles, cva = chosen
    try:
        with photo.image.open("rb") as handle:
            image = handle.read()
        with photo.thumbnail.open("rb") as handle:
            thumbnail = handle.read()
    except OSError:
        return None  # a missing file must not stop the plan
    return before_photo(
        view=photo.contract_view,
        taken_on=photo.assessment.assessed_on,
        cva=cva,
        image=image,
        thumbnail=thumbnail,
        overlay=photo_overlay.of_photo(photo, angles),
    )


def client_plan_for(version: ProgramVersion, *, with_photo: bool = True) -> ClientPlan:
    """The plan the client of ``version`` reads, in the portal and the PDF. ``with_photo``
    False skips the before photo (and its query) where a page shows only today's session."""
    return client_plan(
        version_data(version),
        client=client_facts(version),
        poses=load_poses(),
        specialist_terms=SPECIALIST_TERMS,
        photo=before_photo_for(version) if with_photo else None,
    )
