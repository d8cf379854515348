"""Saved assessments to plain data: the one place where ORM rows become Measures and ClientFacts."""

from __future__ import annotations

from django.db.models import Prefetch

from clients.clearance import covering, covers, latest_yes

from . import inputs
from .models import Assessment

SECTION_RELATIONS = (
    "static_posture",
    "tech_neck",
    "pelvic_tilt",
    "overhead_squat",
    "gait",
    "senior_tests",
    "postpartum",
    "youth",
)


def with_sections(queryset):
    """Fetch every section and pain report with the assessments, in a fixed number of queries."""
    return queryset.select_related(*SECTION_RELATIONS).prefetch_related(Prefetch("pain_reports"))


def section_of(assessment: Assessment, relation: str):
    """The saved section, or None when that part was not recorded."""
    try:
        return getattr(assessment, relation)
    except Assessment._meta.get_field(relation).related_model.DoesNotExist:
        return None


def _same_fields(kind, section):
    """The plain dataclass `kind` filled from the section's same-named fields; None without one."""
    if section is None:
        return None
    return kind(**{name: getattr(section, name) for name in kind.__dataclass_fields__})


def measures_from(assessment: Assessment) -> inputs.Measures:
    """What the assessment measured; an unrecorded section is None, never zeros."""
    posture = section_of(assessment, "static_posture")
    neck = section_of(assessment, "tech_neck")
    tilt = section_of(assessment, "pelvic_tilt")
    ohs = section_of(assessment, "overhead_squat")
    gait = section_of(assessment, "gait")
    senior = section_of(assessment, "senior_tests")
    postpartum = section_of(assessment, "postpartum")
    youth = section_of(assessment, "youth")
    return inputs.Measures(
        cva_deg=neck.cva_deg if neck else None,
        wall_distance_cm=neck.wall_distance_cm if neck else None,
        screen_hours_per_day=neck.screen_hours_per_day if neck else None,
        pelvic_tilt_left_deg=tilt.pelvic_tilt_left_deg if tilt else None,
        pelvic_tilt_right_deg=tilt.pelvic_tilt_right_deg if tilt else None,
        posture=tuple(
            inputs.PostureObservation(code=o["code"], side=o.get("side"))
            for o in (posture.observations if posture else [])
        ),
        ohs=tuple(
            inputs.OhsObservation(code=o["code"], view=o.get("view"), side=o.get("side"))
            for o in (ohs.observations if ohs else [])
        ),
        gait=tuple(gait.deviations) if gait else (),
        senior=_same_fields(inputs.SeniorTests, senior),
        postpartum=_same_fields(inputs.PostpartumMeasures, postpartum),
        youth=(
            inputs.YouthMeasures(
                height_cm=youth.height_cm,
                sitting_height_cm=youth.sitting_height_cm,
                weight_kg=youth.weight_kg,
                growth_pain=tuple(youth.growth_pain),
            )
            if youth
            else None
        ),
        pain=tuple(
            inputs.PainReport(region=p.region, score=p.score) for p in assessment.pain_reports.all()
        ),
    )


def provenance_from(assessment: Assessment) -> dict[str, str]:
    """How measures not typed by hand were taken, by measure key (the photo's CVA)."""
    neck = section_of(assessment, "tech_neck")
    if neck and neck.cva_deg is not None and neck.cva_provenance:
        return {"cva_deg": neck.cva_provenance}
    return {}


def clearance_recorded(assessment: Assessment) -> bool:
    """A clearance was recorded on or after the assessment date (facts_from's
    clearance_recorded, in one query)."""
    return covering(assessment.client_id, assessment.assessed_on).exists()


def facts_from(assessment: Assessment) -> inputs.ClientFacts:
    """The client facts interpretation needs, as they stand for this assessment.

    PAR-Q+ answers count unless a clearance settled the latest screening before the
    assessment (on or after the screening, before the assessment date). A clearance counts
    for the assessment's own findings (pain, symptoms) only when it was recorded on or
    after the assessment date: a clearance given earlier cannot cover what was found later.
    A "yes" cleared on or after the assessment date stays listed, covered by that clearance,
    as every other reason is (case format: ``referral.reasons``).
    """
    client = assessment.client
    screened_on, yes = latest_yes((s.screened_on, s.yes_numbers) for s in client.screenings.all())
    clearances = list(client.clearances.values_list("cleared_on", flat=True))
    # Settled: a clearance covers the screening and was given before this assessment.
    settled = screened_on is not None and any(
        covers(day, screened_on) and not covers(day, assessment.assessed_on) for day in clearances
    )
    parq_yes = () if settled else yes
    # A delivery recorded after this assessment did not exist when it was made.
    delivered = client.delivery_date is not None and client.delivery_date <= assessment.assessed_on
    return inputs.ClientFacts(
        sex=client.sex,
        birth_date=client.birth_date,
        assessed_on=assessment.assessed_on,
        delivery_date=client.delivery_date if delivered else None,
        delivery_type=(client.delivery_type or None) if delivered else None,  # None: not recorded
        parq_yes=parq_yes,
        clearance_recorded=any(covers(day, assessment.assessed_on) for day in clearances),
    )
