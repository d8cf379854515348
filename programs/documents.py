"""From a stored program version to the plain PlanDocument the PDF renders (the one ORM step)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from assessments.comparison import flat_values
from assessments.findings import REGIONS
from assessments.labels import finding_label, referral_label
from assessments.measures import DERIVED_MEASURES, MEASURES, measure_label, measure_unit
from assessments.progress import progress_drawings
from assessments.records import measures_from, with_sections
from assessments.sources import source_ids
from clients.clearance import covering
from clients.models import Clearance

from .bibliography import draft_sources
from .dose import AS_SHOWN, amount, dose_of
from .models import Phase, ProgramExercise, ProgramVersion
from .pdf import styles as pdf_styles
from .plan import (
    NOT_MEASURED,
    ChartDoc,
    ExerciseDoc,
    FindingRow,
    PhaseDoc,
    PlanDocument,
    ReferralDoc,
    ReportExercise,
    ReportFinding,
    ReportPhase,
    ScreeningDoc,
    SourceDoc,
    SpecialistReport,
)

# The measures every plan of a population reports, taken or not ("not measured").
KEY_MEASURES = {
    "adult": ("cva_deg", "pelvic_tilt_left_deg", "pelvic_tilt_right_deg"),
    "youth": ("youth.height_cm", "youth.sitting_height_cm", "youth.weight_kg", "cva_deg"),
    "senior": (
        "senior.chair_stand_30s",
        "senior.arm_curl_30s",
        "senior.two_min_step",
        "senior.chair_sit_reach_cm",
        "senior.back_scratch_cm",
        "senior.up_and_go_8ft_s",
        "senior.six_min_walk_m",
        "senior.tug_s",
        "senior.tandem_stance_s",
    ),
    "postpartum": (
        "postpartum.ird_above_umbilicus_cm",
        "postpartum.ird_umbilicus_cm",
        "postpartum.ird_below_umbilicus_cm",
        "pelvic_tilt_left_deg",
        "pelvic_tilt_right_deg",
    ),
}

# What a key measure's row says when no finding names it.
COUNTED_ABOVE = "Counted in the finding above."
WITHIN_NORM = "Within the typical range."
NO_NORM = "Recorded; no norm applies to this measure."

SAFETY_NOTES = {
    "postpartum": (
        "Stop and contact your specialist if you notice leakage, heaviness, dragging or a "
        "bulge in your pelvis, or pain in your pelvis, back or scar.",
        "Breathe out as you make the effort; never hold your breath and bear down.",
    ),
    "senior": (
        "Keep a sturdy chair or counter within reach for every standing exercise.",
        "Stop if you feel dizzy, unsteady or short of breath, and sit down.",
    ),
    "youth": (
        "Tell your specialist or a parent about pain around the knees, heels or hips, a limp, "
        "or pain at night.",
    ),
    "adult": (),
}


# What the plan prints of an exercise (plus what groups and orders them).
EXERCISE_FIELDS = (
    "phase_id",
    "position",
    "name",
    "sets",
    "reps",
    "hold_s",
    "tempo",
    "cues",
    "equipment",
    "notes",
)


def _phases(version: ProgramVersion) -> list[tuple[Phase, list[ProgramExercise]]]:
    """The version's phases in order, each with its exercises in order: two queries.

    Filtered on the version's and phases' ids, ordered on the phases' own columns: the
    models' default orderings would join the program and version tables to sort rows
    that all belong to one version.
    """
    phases = list(Phase.objects.filter(version_id=version.pk).order_by("position", "id"))
    exercises: dict[int, list[ProgramExercise]] = {phase.pk: [] for phase in phases}
    if exercises:
        for item in (
            ProgramExercise.objects.filter(phase_id__in=list(exercises))
            .only(*EXERCISE_FIELDS)
            .order_by("phase_id", "position", "id")
        ):
            exercises[item.phase_id].append(item)
    return [(phase, exercises[phase.pk]) for phase in phases]


def _clearance(version: ProgramVersion) -> Clearance | None:
    """The latest physician clearance recorded on or after the plan's assessment."""
    assessment = version.assessment
    if assessment is None:
        return None
    return (
        covering(version.program.client_id, assessment.assessed_on).order_by("-cleared_on").first()
    )


def _screening(version: ProgramVersion) -> ScreeningDoc:
    referral = version.draft.get("referral", {})
    reasons = [referral_label(r) for r in referral.get("reasons", [])]
    if not referral.get("required"):
        screening = version.program.client.screenings.order_by("-screened_on", "-id").first()
        if screening is None:
            return ScreeningDoc(True, ())
        answers = (
            "all answers were no"
            if not screening.positive
            else "the answers marked yes were cleared by a physician"
        )
        return ScreeningDoc(
            True,
            (f"Health questionnaire (PAR-Q+) of {screening.screened_on:%-d %B %Y}: {answers}.",),
        )
    clearance = _clearance(version)  # asked only when a referral needs one
    if clearance is not None:
        return ScreeningDoc(
            True,
            (
                f"Cleared for this program by {clearance.cleared_by} on "
                f"{clearance.cleared_on:%-d %B %Y}.",
                "What was discussed: " + "; ".join(reasons) + ".",
            ),
        )
    return ScreeningDoc(
        False,
        (
            "Before you start, talk to a physician or physiotherapist about:",
            *reasons,
            *referral.get("details", []),
        ),
    )


def _findings(version: ProgramVersion, taken: dict[str, float]) -> tuple[FindingRow, ...]:
    rows = [
        FindingRow(
            measure=measure_label(f["measure"]) if f.get("measure") in MEASURES else _title(f),
            value=_value(f),
            reference=f.get("reference") or "",
            meaning=f.get("explanation") or "",
        )
        for f in version.draft.get("findings", [])
    ]
    found = {f.get("measure") for f in version.draft.get("findings", [])}
    # Findings named by a derived measure speak for the measures it is computed from.
    covered = {
        key for derived in found if derived in DERIVED_MEASURES
        for key in DERIVED_MEASURES[derived].derived_from
    }  # fmt: skip
    for key in KEY_MEASURES.get(version.population, ()):
        if key in found:
            continue
        spec = MEASURES[key]
        if key not in taken:
            rows.append(FindingRow(spec.label, NOT_MEASURED, "", ""))
            continue
        value = f"{taken[key]:g} {spec.unit}"
        if key in covered:
            meaning = COUNTED_ABOVE
        elif spec.norm:  # compared with its norm and nothing was found
            meaning = WITHIN_NORM
        else:
            meaning = NO_NORM
        rows.append(FindingRow(spec.label, value, "", meaning))
    return tuple(rows)


def _title(finding: dict) -> str:
    return finding_label(finding["code"])


def _value(finding: dict) -> str:
    value, measure = finding.get("value"), finding.get("measure")
    if value is None:
        return NOT_MEASURED
    if isinstance(value, float | int) and not isinstance(value, bool):
        unit = measure_unit(measure) if measure else None
        if unit is not None:
            return f"{value:g} {unit}"
    if isinstance(value, str) and " " not in value:
        return "observed"
    return str(value)


def build_plan_document(version: ProgramVersion) -> PlanDocument:
    """Everything the PDF shows, gathered in a fixed number of queries."""
    client = version.program.client
    practice = client.practice
    assessment = version.assessment
    assessments = list(
        with_sections(client.assessments.filter(assessed_on__lte=assessment.assessed_on))
        if assessment is not None
        else []
    )
    current = next((a for a in assessments if a.pk == getattr(assessment, "pk", None)), None)
    taken = flat_values(measures_from(current)) if current is not None else {}
    phases = _phases(version)
    if len(assessments) >= 2:
        pdf_styles.setup()  # the charts measure their text in the PDF's embedded font
        drawn = progress_drawings(assessments, text=pdf_styles.CHART_TEXT)
        charts = tuple(ChartDoc(series.title, drawing) for series, drawing in drawn)
    else:
        charts = ()
    regions = frozenset(
        f["region"] for f in version.draft.get("findings", []) if f.get("region") in REGIONS
    )
    logo = None
    if practice.logo:
        try:
            with practice.logo.open("rb") as handle:
                logo = handle.read()
        except OSError:
            logo = None  # a missing file must not stop the plan
    return PlanDocument(
        title="Your corrective exercise plan",
        client_name=client.full_name,
        specialist_name=version.published_by.display_name()
        if version.published_by
        else version.created_by.display_name(),
        practice_name=practice.name,
        population=version.population,
        version=version.number,
        published_on=version.published_at.date() if version.published_at else None,
        starts_on=version.starts_on,
        retest_on=version.retest_on,
        screening=_screening(version),
        findings=_findings(version, taken),
        regions=regions,
        phases=tuple(
            PhaseDoc(
                title=phase.title,
                weeks=tuple(phase.weeks),
                sessions_per_week=phase.sessions_per_week,
                criteria=phase.criteria,
                note=phase.note,
                exercises=tuple(
                    ExerciseDoc(
                        name=item.name,
                        sets=item.sets,
                        dose=amount(item.reps, item.hold_s) or AS_SHOWN,
                        tempo=item.tempo,
                        cues=tuple(item.cues),
                        equipment=tuple(item.equipment),
                        notes=item.notes,
                    )
                    for item in items
                ),
            )
            for phase, items in phases
        ),
        safety_notes=SAFETY_NOTES.get(version.population, ()),
        charts=charts,
        practice_logo=logo,
        notes=version.notes,
        assessed_on=assessment.assessed_on if assessment else None,
        sources=tuple(
            SourceDoc(source.id, source.lines) for source in draft_sources(version.draft)
        ),
        portal_url=portal_url(version),
    )


def portal_url(version: ProgramVersion) -> str:
    """The version's accessible web page in the client portal, as a full address, or ""
    when the site's address (``SITE_URL``) is not configured."""
    if not settings.SITE_URL:
        return ""
    return settings.SITE_URL + reverse("portal:plan", args=[version.pk])


# What the specialist's report prints of an exercise: the plan's fields and the rule behind it.
REPORT_EXERCISE_FIELDS = (*EXERCISE_FIELDS, "rules", "why", "override_reason")
NO_RULE = "Added by the specialist (no engine rule)."


def _referral(version: ProgramVersion) -> ReferralDoc:
    referral = version.draft.get("referral", {})
    required = bool(referral.get("required"))
    cleared = ""
    if required:
        clearance = _clearance(version)
        if clearance is not None:
            cleared = f"Cleared by {clearance.cleared_by} on {clearance.cleared_on:%-d %B %Y}."
    return ReferralDoc(
        required=required,
        reasons=tuple(referral_label(r) for r in referral.get("reasons", [])),
        details=tuple(referral.get("details", [])),
        cleared=cleared,
    )


def _report_phases(version: ProgramVersion) -> tuple[ReportPhase, ...]:
    rationale = {
        fired["id"]: fired.get("rationale") or "" for fired in version.draft.get("rules_fired", [])
    }
    phases = list(Phase.objects.filter(version_id=version.pk).order_by("position", "id"))
    items: dict[int, list[ProgramExercise]] = {phase.pk: [] for phase in phases}
    for item in (
        ProgramExercise.objects.filter(phase_id__in=list(items))
        .only(*REPORT_EXERCISE_FIELDS)
        .order_by("phase_id", "position", "id")
    ):
        items[item.phase_id].append(item)
    return tuple(
        ReportPhase(
            title=phase.title,
            weeks=tuple(phase.weeks),
            sessions_per_week=phase.sessions_per_week,
            exercises=tuple(
                ReportExercise(
                    name=item.name,
                    dose=dose_of(item) or AS_SHOWN,
                    rules=tuple(
                        f"{rule}: {rationale[rule]}" if rationale.get(rule) else rule
                        for rule in item.rules
                    )
                    or (NO_RULE,),
                    why=item.why,
                    changed=item.override_reason,
                )
                for item in items[phase.pk]
            ),
        )
        for phase in phases
    )


def build_specialist_report(version: ProgramVersion, *, today) -> SpecialistReport:
    """The specialist's report and referral letter of a version (drafts too), as plain data."""
    client = version.program.client
    author = version.published_by or version.created_by
    findings = tuple(
        ReportFinding(
            measure=measure_label(f["measure"]) if f.get("measure") in MEASURES else _title(f),
            value=_value(f),
            norm=f.get("reference") or "",
            meaning=f.get("explanation") or "",
            sources=source_ids(f.get("source")),
        )
        for f in version.draft.get("findings", [])
    )
    return SpecialistReport(
        title="Specialist's report",
        client_name=client.full_name,
        client_birth_date=client.birth_date,
        specialist_name=author.display_name(),
        specialist_email=author.email,
        practice_name=client.practice.name,
        population=version.population,
        version=version.number,
        published_on=version.published_at.date() if version.published_at else None,
        assessed_on=version.assessment.assessed_on if version.assessment else None,
        written_on=today,
        findings=findings,
        referral=_referral(version),
        phases=_report_phases(version),
        sources=tuple(
            SourceDoc(source.id, source.lines) for source in draft_sources(version.draft)
        ),
    )
