"""A stored program version as the client's plan: the one ORM step before ``client_plan``."""

from __future__ import annotations

from assessments.plain_words import SPECIALIST_TERMS
from clients.models import Clearance, Screening

from .client_plan import ClearanceFact, ClientFacts, ClientPlan, client_plan
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


def client_plan_for(version: ProgramVersion) -> ClientPlan:
    """The plan the client of ``version`` reads, in the portal and (later) the PDF."""
    return client_plan(
        version_data(version),
        client=client_facts(version),
        poses=load_poses(),
        specialist_terms=SPECIALIST_TERMS,
    )
