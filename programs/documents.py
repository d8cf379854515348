"""From a stored program version to the plain SpecialistReport the report and the referral
letter render (the one ORM step), and the address of the version's page in the portal."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments import photo_overlay, photos
from assessments.labels import finding_label, referral_label
from assessments.measures import MEASURES, measure_label, measure_unit
from assessments.models import PosturePhoto
from assessments.sources import source_ids
from clients.clearance import covering
from clients.models import Clearance

from .bibliography import draft_sources
from .dose import AS_SHOWN, dose_of
from .models import Phase, ProgramExercise, ProgramVersion
from .plan import (
    NOT_MEASURED,
    ReferralDoc,
    ReportExercise,
    ReportFinding,
    ReportPhase,
    ReportPhoto,
    SourceDoc,
    SpecialistReport,
)


def _clearance(version: ProgramVersion) -> Clearance | None:
    """The latest physician clearance recorded on or after the plan's assessment."""
    assessment = version.assessment
    if assessment is None:
        return None
    return (
        covering(version.program.client_id, assessment.assessed_on).order_by("-cleared_on").first()
    )


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


def portal_url(version: ProgramVersion) -> str:
    """The version's accessible web page in the client portal, as a full address, or ""
    when the site's address (``SITE_URL``) is not configured."""
    if not settings.SITE_URL:
        return ""
    return settings.SITE_URL + reverse("portal:plan", args=[version.pk])


# What the specialist's report prints of an exercise (plus what groups and orders them).
REPORT_EXERCISE_FIELDS = (
    "phase_id",
    "position",
    "name",
    "sets",
    "reps",
    "hold_s",
    "tempo",
    "rules",
    "why",
    "override_reason",
)
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


PHOTO_ORDER = ("left", "right", "front", "back")


def _report_photos(version: ProgramVersion) -> tuple[ReportPhoto, ...]:
    """The posture photos of the plan's assessment, each read through the storage API, with
    its lines and angles: one query. A file that cannot be read is left out."""
    if version.assessment_id is None:
        return ()
    found = PosturePhoto.objects.filter(assessment_id=version.assessment_id).select_related(
        "landmarks_placed_by"
    )
    result = []
    for photo in sorted(found, key=lambda p: (PHOTO_ORDER.index(p.view), p.pk)):
        try:
            with photo.image.open("rb") as handle:
                image = handle.read()
        except OSError:
            continue  # a missing file must not stop the report
        angles = photos.angles_of(photo) if photo.landmarks else None
        result.append(
            ReportPhoto(
                view=photo.get_view_display(),
                image=image,
                overlay=photo_overlay.of_photo(photo, angles),
                lines=photo_overlay.angle_lines(angles, photo.landmark_sources),
                placed=photo_overlay.placed_words(photo, timezone.localtime),
            )
        )
    return tuple(result)


def build_specialist_report(version: ProgramVersion, *, today) -> SpecialistReport:
    """The specialist's report and referral letter of a version (drafts too), as plain data."""
    client = version.program.client
    author = version.published_by or version.created_by
    findings = tuple(
        ReportFinding(
            measure=measure_label(f["measure"]) if f.get("measure") in MEASURES else _title(f),
            value=_value(f) + (f" ({f['provenance']})" if f.get("provenance") else ""),
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
        photos=_report_photos(version),
    )
