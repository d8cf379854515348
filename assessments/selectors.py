"""Reads that build the assessment pages: each loads what its page shows and hands it to the
pure modules (interpret, comparison, progress) that compute it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from clients import guardian
from core.audit import audit_rows

from . import (
    comparison,
    photo_angles,
    photo_intake,
    photo_overlay,
    photos,
    pose_model,
    suggestions,
)
from .findings import by_region, with_provenance
from .forms import LandmarksForm, PhotoUploadForm, section_form
from .interpret import interpret, referral_for
from .models import Assessment, PainReport, PosturePhoto, TechNeck
from .norms import fall_risk_results, senior_results
from .progress import progress_for
from .records import (
    clearance_recorded,
    facts_from,
    measures_from,
    provenance_from,
    section_of,
    with_sections,
)
from .sections import BY_KEY, CHANGED, SECTIONS, section_status, sections_for


def interpretation(assessment: Assessment):
    """Findings and referral of a saved assessment (pure functions over its plain data),
    each finding saying how its value was taken when it was not typed."""
    measures, facts = measures_from(assessment), facts_from(assessment)
    findings = with_provenance(interpret(measures, facts), provenance_from(assessment))
    return measures, findings, referral_for(measures, facts, findings)


def guardian_missing(client, form) -> str | None:
    """Why a minor's assessment must wait for a guardian's consent, or None; judged on the
    assessment date entered (today until the form holds a valid one)."""
    assessed_on = form.is_valid() and form.cleaned_data["assessed_on"]
    return guardian.guardian_consent_missing(client, assessed_on or timezone.localdate())


def record_page(assessment: Assessment, *, added=(), bound_key=None, bound=None) -> dict:
    """The record page: each section shown with its form (``bound`` for ``bound_key``)."""
    population, forms, others, recorded = _section_forms(
        assessment, bound_key=bound_key, bound=bound, added=added
    )
    # The page's own address with the sections added to the population's: a refused save is
    # answered at the section's address, and the page's script puts this one in its place so
    # that a reload shows the page again instead of sending the form a second time.
    shown = added_query([spec.key for spec, _ in forms], population)
    return {
        "assessment": assessment,
        "client": assessment.client,
        "population": population,
        "forms": forms,
        "others": others,
        "recorded": recorded,
        "record_url": _record_url(assessment.pk, shown),
        # Sent with each section's save, so a refused save shows the same sections.
        "shown_query": shown,
        "changed": CHANGED,
        "photo_count": assessment.photos.count(),
    }


def _section_forms(assessment, *, bound_key=None, bound=None, added=()):
    population = assessment.client.population(assessment.assessed_on)
    recorded = {
        spec.key
        for spec in SECTIONS
        if (spec.relation and section_of(assessment, spec.relation) is not None)
        or (spec.key == "pain" and assessment.pain_reports.all())
    }
    shown = sections_for(
        population, recorded=recorded, added=set(added) | ({bound_key} if bound_key else set())
    )
    forms = []
    for spec in shown:
        form = bound if spec.key == bound_key else section_form(spec, assessment)
        # What its badge says, read by the template beside the form (as form.conflict is).
        form.section_status = section_status(form, recorded=spec.key in recorded)
        forms.append((spec, form))
    others = [spec for spec in SECTIONS if spec not in shown]
    return population, forms, others, recorded


def added_query(keys, population) -> str:
    """``add=`` for each section shown beyond the population's own, so it stays shown."""
    return urlencode(
        [
            ("add", key)
            for key in keys
            if key in BY_KEY and population not in BY_KEY[key].populations
        ]
    )


def _record_url(pk: int, query: str) -> str:
    return reverse("assessments:record", args=[pk]) + (f"?{query}" if query else "")


def saved_section_url(assessment: Assessment, key: str, added) -> str:
    """Back to the saved section; sections added but not saved yet stay on the page (and so
    do their drafts)."""
    population = assessment.client.population(assessment.assessed_on)
    query = added_query([k for k in added if k != key], population)
    return _record_url(assessment.pk, query) + f"#section-{key}"


def theirs(spec, assessment: Assessment) -> list[str]:
    """The section as saved by the other person, one "label: value" line a filled field
    (none for pain, whose rows show in the form itself)."""
    if spec.key == "pain":
        return []
    return [
        f"{field.label}: {field.value()}"
        for field in section_form(spec, assessment)
        if not field.is_hidden and field.value() not in (None, "", [])
    ]


def findings_page(assessment: Assessment) -> dict:
    """The findings page: findings by region, referral, senior norms and what was measured."""
    measures, findings, referral = interpretation(assessment)
    client = assessment.client
    age = client.age(assessment.assessed_on)
    return {
        "assessment": assessment,
        "client": client,
        "population": client.population(assessment.assessed_on),
        "groups": by_region(findings),
        "findings": findings,
        "referral": referral,
        # Reasons stay listed once cleared; the page says whether a clearance covers them.
        "cleared": referral.required and clearance_recorded(assessment),
        "senior_rows": (
            senior_results(measures.senior, client.sex, age) if measures.senior else []
        ),
        "fall_rows": (
            fall_risk_results(measures.senior, sex=client.sex, age=age) if measures.senior else []
        ),
        "measure_rows": comparison.measure_rows(measures, provenance_from(assessment)),
        "observed": comparison.observations(measures),
    }


def comparison_page(client, *, a: str | None = None, b: str | None = None) -> dict | None:
    """Two of the client's assessments side by side (``a`` and ``b`` by pk, by default the
    latest against the one before), with progress; None with fewer than two."""
    assessments = list(with_sections(client.assessments.all()))
    if len(assessments) < 2:
        return None
    by_pk = {str(x.pk): x for x in assessments}
    first = by_pk.get(a) or assessments[1]
    second = by_pk.get(b) or assessments[0]
    if first.assessed_on > second.assessed_on:
        first, second = second, first
    changes = comparison.finding_changes(_finding_codes(first), _finding_codes(second))
    return {
        "client": client,
        "assessments": assessments,
        "first": first,
        "second": second,
        "rows": comparison.compare(measures_from(first), measures_from(second)),
        "resolved": changes.resolved,
        "new": changes.new,
        "kept": changes.kept,
        "progress": progress_for(assessments),
    }


def _finding_codes(assessment: Assessment) -> set[str]:
    return {f.code for f in interpret(measures_from(assessment), facts_from(assessment))}


def history_page(assessment: Assessment) -> dict:
    """The audit trail of the assessment, its sections and its pain reports."""
    groups = [("Assessment", Assessment.history.filter(id=assessment.pk))]
    groups += [
        (spec.title, spec.model.history.filter(assessment_id=assessment.pk))
        for spec in SECTIONS
        if spec.model is not None
    ]
    groups.append(("Pain report", PainReport.history.filter(assessment_id=assessment.pk)))
    groups.append(("Posture photo", PosturePhoto.history.filter(assessment_id=assessment.pk)))
    rows = audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
    return {
        "client": assessment.client,
        "rows": rows,
        "title": f"the assessment of {assessment.assessed_on:%-d %b %Y}",
    }


def photos_page(assessment: Assessment, *, form: PhotoUploadForm | None = None) -> dict:
    """The assessment's photos: each view with its photo (or none), and the upload form
    (offering the first view not taken yet)."""
    taken = {photo.view: photo for photo in assessment.photos.all()}
    views = [
        {
            "view": view,
            "label": label,
            "photo": taken.get(view),
            "size": _thumbnail_size(taken.get(view)),
            # Suggested landmarks waiting for the specialist's check on the photo's page.
            "to_check": len(suggestions.pending(taken[view])) if view in taken else 0,
        }
        for view, label in PosturePhoto.View.choices
    ]
    if form is None:
        missing = next((v["view"] for v in views if v["photo"] is None), None)
        form = PhotoUploadForm(initial={"view": missing} if missing else None)
    return {
        "assessment": assessment,
        "client": assessment.client,
        "views": views,
        "count": len(taken),
        "form": form,
    }


def _thumbnail_size(photo: PosturePhoto | None) -> tuple[int, int] | None:
    # The thumbnail's own size (photo_intake bounds its long side), so the page keeps the
    # room before the image loads.
    if photo is None:
        return None
    scale = min(1.0, photo_intake.THUMBNAIL_LONG_SIDE / max(photo.width, photo.height, 1))
    return max(1, round(photo.width * scale)), max(1, round(photo.height * scale))


def photo_page(photo: PosturePhoto, *, form: LandmarksForm | None = None) -> dict:
    """The landmark page of one photo: the photo, its landmarks and angles, the landmark
    names of its view and the tech-neck CVA now saved (with where it came from)."""
    assessment = photo.assessment
    if form is None:
        form = LandmarksForm(
            initial={
                "landmarks": json.dumps(photo.landmarks),
                "lock_version": assessment.lock_version,
            }
        )
    names = photo_angles.placing_order(photo.contract_view)
    tech_neck = TechNeck.objects.filter(assessment_id=assessment.pk).first()
    return {
        "photo": photo,
        "cva_clear_change": photo_overlay.CVA_CLEAR_CHANGE_DEG,
        "assessment": assessment,
        "client": assessment.client,
        "angles": photos.angles_of(photo),
        "landmark_names": names,
        # A refused save shows the points as placed, so nothing placed is lost.
        "landmarks_json": json.dumps(_posted_landmarks(form, names) or photo.landmarks),
        "form": form,
        "tech_neck_cva": (
            {"value": tech_neck.cva_deg, "provenance": tech_neck.cva_provenance}
            if tech_neck is not None and tech_neck.cva_deg is not None
            else None
        ),
        # The pose model's suggestions (assessments/suggestions.py), for the tool to show.
        "suggestions": (photo.suggestions or {}).get("landmarks", {}),
        "suggestion_guides": (photo.suggestions or {}).get("guides", {}),
        "prefill": bool(suggestions.pending(photo)),
        "landmark_sources": photo.landmark_sources,
        "proxy_notes": pose_model.proxy_notes(names),
        "never_suggested": pose_model.never_suggested(names),
        "suggestions_available": suggestions.available(),
        "suggestions_on_their_way": suggestions.on_their_way(photo),
        "suggested_at": photo.suggested_at,
        "suggestion_model": photo.suggestion_model,
        "suggest_url": reverse("assessments:photo_suggest", args=[photo.pk]),
    }


def _posted_landmarks(form: LandmarksForm, names) -> dict | None:
    """The landmarks of a refused post that the tool can show again: known names with two
    numbers each (an outside point included), else None."""
    if not form.is_bound:
        return None
    try:
        posted = json.loads(form.data.get("landmarks", ""))
    except (ValueError, RecursionError):
        return None
    if not isinstance(posted, dict):
        return None
    return {
        name: [float(x) for x in point]
        for name, point in posted.items()
        if name in names
        and isinstance(point, list)
        and len(point) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in point)
    } or None


# --- Posture photos drawn on the findings and comparison pages ------------------------------

PHOTO_ORDER = ("left", "right", "front", "back")
# The comparison draws both photos of a view at this height (at most): the same scale.
COMPARE_HEIGHT_PX = 360
# Bootstrap's utilities lay the overlay over the <img> (the CSP allows no inline style).
OVERLAY_CLASSES = "photo-overlay position-absolute top-0 start-0 w-100 h-100 pe-none"


@dataclass(frozen=True)
class PhotoFigure:
    """A photo as a page shows it: its overlay, its angles in words, who placed the marks."""

    photo: PosturePhoto
    overlay: photo_overlay.SvgMarkup  # the <svg> over the thumbnail, every text escaped
    lines: tuple[str, ...]
    cva: float | None
    placed: str  # "Landmarks placed by … on …", "" before any is placed
    shapes: photo_overlay.Overlay


def photo_figure(photo: PosturePhoto) -> PhotoFigure:
    """One photo's figure from its stored landmarks (no query once the photo is loaded)."""
    angles = photos.angles_of(photo) if photo.landmarks else None
    shapes = photo_overlay.of_photo(photo, angles)
    return PhotoFigure(
        photo=photo,
        overlay=photo_overlay.svg(shapes, css_class=OVERLAY_CLASSES),
        lines=photo_overlay.angle_lines(angles, photo.landmark_sources),
        cva=photo_overlay.cva_of(angles),
        placed=photo_overlay.placed_words(photo, timezone.localtime),
        shapes=shapes,
    )


def _in_view_order(found) -> list[PosturePhoto]:
    return sorted(found, key=lambda p: (PHOTO_ORDER.index(p.view), p.pk))


def photo_figures(assessment: Assessment) -> list[PhotoFigure]:
    """The assessment's photos in view order (left, right, front, back): one query."""
    found = assessment.photos.select_related("landmarks_placed_by")
    return [photo_figure(photo) for photo in _in_view_order(found)]


def detail_page(assessment: Assessment) -> dict:
    """The findings page with the assessment's posture photos drawn over."""
    return {**findings_page(assessment), "photos": photo_figures(assessment)}


def photo_pairs(first: Assessment, second: Assessment) -> list[dict]:
    """For each view photographed in both assessments, the two figures at one height and
    the CVA change in words (under 2°, no clear change: §12.2): one query."""
    found = PosturePhoto.objects.filter(assessment_id__in=[first.pk, second.pk]).select_related(
        "landmarks_placed_by"
    )
    by_view: dict[str, dict[int, PosturePhoto]] = {}
    for photo in _in_view_order(found):
        by_view.setdefault(photo.view, {})[photo.assessment_id] = photo
    pairs = []
    for pair in by_view.values():
        if first.pk not in pair or second.pk not in pair:
            continue
        before, after = photo_figure(pair[first.pk]), photo_figure(pair[second.pk])
        change = photo_overlay.cva_change(before.cva, after.cva)
        view = pair[first.pk].get_view_display()
        drawing = photo_overlay.side_by_side(
            [(figure.shapes, _thumbnail_url(figure.photo)) for figure in (before, after)],
            height=COMPARE_HEIGHT_PX,
            label=f"{view} photos of {first.assessed_on:%-d %b %Y} and "
            f"{second.assessed_on:%-d %b %Y}, side by side at the same scale",
        )
        pairs.append(
            {
                "view": view,
                "drawing": drawing,
                "before": before,
                "after": after,
                "change": change,
                "no_clear_change": photo_overlay.NO_CLEAR_CHANGE in change,
            }
        )
    return pairs


def _thumbnail_url(photo: PosturePhoto) -> str:
    return reverse("assessments:photo_thumbnail", args=[photo.pk])


def comparison_with_photos(client, *, a: str | None = None, b: str | None = None) -> dict | None:
    """The comparison page with both assessments' photos side by side, or None with fewer
    than two assessments."""
    page = comparison_page(client, a=a, b=b)
    if page is not None:
        page["photo_pairs"] = photo_pairs(page["first"], page["second"])
    return page
