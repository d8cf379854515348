"""Specialist pages for assessments: start, record sections, read findings, compare over time."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clients import guardian
from clients.access import get_client_for
from core import locking, submissions
from core.access import specialist_required
from core.audit import audit_rows

from . import comparison
from .access import get_assessment_for
from .findings import by_region
from .forms import SECTION_FORMS, AssessmentForm, PainFormSet, SectionForm
from .interpret import interpret, referral_for
from .models import Assessment, PainReport
from .norms import fall_risk_results, senior_results
from .posture import GAIT, OHS, POSTURE_DEVIATIONS
from .progress import progress_for
from .records import clearance_recorded, facts_from, measures_from, section_of, with_sections
from .sections import BY_KEY, CHANGED, SECTIONS, section_status, sections_for

CONSENT_REQUIRED = "Record the client's informed consent before saving an assessment."


def interpretation(assessment: Assessment):
    """Findings and referral of a saved assessment (pure functions over its plain data)."""
    measures, facts = measures_from(assessment), facts_from(assessment)
    findings = interpret(measures, facts)
    return measures, findings, referral_for(measures, facts, findings)


@specialist_required
def assessment_create(request, client_pk):
    client = get_client_for(request.user, client_pk)
    earlier = submissions.earlier(request, Assessment)
    if earlier is not None:
        submissions.tell_already_saved(request)
        return redirect("assessments:record", pk=earlier.pk)
    form = submissions.stamp(AssessmentForm(request.POST or None, client=client), request)
    # A minor needs a parent or guardian's consent too, judged on the assessment date.
    assessed_on = form.is_valid() and form.cleaned_data["assessed_on"]
    guardian_missing = guardian.guardian_consent_missing(
        client, assessed_on or timezone.localdate()
    )
    if request.method == "POST":
        if not client.has_consent:
            form.add_error(None, CONSENT_REQUIRED)
        elif guardian_missing:
            form.add_error(None, guardian_missing)
        elif form.is_valid():

            def create():
                assessment = form.save(commit=False)
                assessment.client = client
                assessment.specialist = request.user
                assessment.save()
                client.touch()
                return assessment

            assessment, created = submissions.create_once(
                request, Assessment, create, client=client
            )
            if not created:
                submissions.tell_already_saved(request)
            return redirect("assessments:record", pk=assessment.pk)
    return render(
        request,
        "assessments/create.html",
        {
            "form": form,
            "client": client,
            "consent_required": CONSENT_REQUIRED,
            "guardian_missing": guardian_missing,
        },
    )


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
        form = bound if spec.key == bound_key else _section_form(spec, assessment)
        # What its badge says, read by the template beside the form (as form.conflict is).
        form.section_status = section_status(form, recorded=spec.key in recorded)
        forms.append((spec, form))
    others = [spec for spec in SECTIONS if spec not in shown]
    return population, forms, others, recorded


def _section_form(spec, assessment, data=None):
    if spec.key == "pain":
        return PainFormSet(data, instance=assessment, prefix="pain")
    instance = section_of(assessment, spec.relation) or spec.model(assessment=assessment)
    form_class = SECTION_FORMS[spec.key]
    options = {}
    if issubclass(form_class, SectionForm):  # the forms with measures, so with units
        options["unit_system"] = assessment.client.practice.unit_system
    return form_class(data, instance=instance, prefix=spec.key, **options)


def _render_record(request, assessment, *, bound_key=None, bound=None, status=200):
    population, forms, others, recorded = _section_forms(
        assessment, bound_key=bound_key, bound=bound, added=request.GET.getlist("add")
    )
    # The page's own address with the sections added to the population's: a refused save is
    # answered at the section's address, and the page's script puts this one in its place so
    # that a reload shows the page again instead of sending the form a second time.
    shown = _added_query([spec.key for spec, _ in forms], population)
    return render(
        request,
        "assessments/record.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "population": population,
            "forms": forms,
            "others": others,
            "recorded": recorded,
            "record_url": reverse("assessments:record", args=[assessment.pk])
            + (f"?{shown}" if shown else ""),
            # Sent with each section's save, so a refused save shows the same sections.
            "shown_query": shown,
            "changed": CHANGED,
        },
        status=status,
    )


def _added_query(keys, population) -> str:
    """``add=`` for each section shown beyond the population's own, so it stays shown."""
    return urlencode(
        [
            ("add", key)
            for key in keys
            if key in BY_KEY and population not in BY_KEY[key].populations
        ]
    )


@specialist_required
def assessment_record(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return _render_record(request, assessment)


@require_POST
@specialist_required
def section_save(request, pk, key):
    assessment = get_assessment_for(request.user, pk)
    spec = BY_KEY.get(key)
    if spec is None:
        return redirect("assessments:record", pk=pk)
    form = _section_form(spec, assessment, data=request.POST)
    if not form.is_valid():
        return _render_record(request, assessment, bound_key=key, bound=form)
    with transaction.atomic():
        claimed = locking.claim(Assessment, assessment.pk, locking.read_version(request.POST))
        if claimed:
            form.save()
            Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
            assessment.client.touch()
    if not claimed:
        return _conflict(request, assessment, spec, form)
    messages.success(request, f"{spec.title} saved.")
    # Sections added but not saved yet stay on the page (and so do their drafts).
    population = assessment.client.population(assessment.assessed_on)
    added = _added_query([k for k in request.GET.getlist("add") if k != key], population)
    return redirect(
        reverse("assessments:record", args=[pk])
        + (f"?{added}" if added else "")
        + f"#section-{key}"
    )


def _conflict(request, stale, spec, form):
    """Re-show the section with the entry kept and the other person's change beside it."""
    current = get_assessment_for(request.user, stale.pk)
    theirs = _section_form(spec, current)
    other = (
        []
        if spec.key == "pain"
        else [
            f"{field.label}: {field.value()}"
            for field in theirs
            if not field.is_hidden and field.value() not in (None, "", [])
        ]
    )
    form.conflict = {"message": locking.CONFLICT, "theirs": other}
    return _render_record(request, current, bound_key=spec.key, bound=form, status=409)


@specialist_required
def assessment_detail(request, pk):
    assessment = get_assessment_for(request.user, pk)
    measures, findings, referral = interpretation(assessment)
    age = assessment.client.age(assessment.assessed_on)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "population": assessment.client.population(assessment.assessed_on),
            "groups": by_region(findings),
            "findings": findings,
            "referral": referral,
            # Reasons stay listed once cleared; the page says whether a clearance covers them.
            "cleared": referral.required and clearance_recorded(assessment),
            "senior_rows": (
                senior_results(measures.senior, assessment.client.sex, age)
                if measures.senior
                else []
            ),
            "fall_rows": (
                fall_risk_results(measures.senior, sex=assessment.client.sex, age=age)
                if measures.senior
                else []
            ),
            "measure_rows": comparison.measure_rows(measures),
            "observed": observations(measures),
        },
    )


def observations(measures) -> list[str]:
    """Every recorded observation in words, so what was seen shows even without a finding."""
    sides = {"left": "left", "right": "right", "both": "both sides"}
    lines = [
        f"Standing: {POSTURE_DEVIATIONS[o.code].label}" + (f" ({sides[o.side]})" if o.side else "")
        for o in measures.posture
        if o.code in POSTURE_DEVIATIONS
    ]
    lines += [
        f"Overhead squat: {OHS[o.code].label}" + (f" ({sides[o.side]})" if o.side else "")
        for o in measures.ohs
        if o.code in OHS
    ]
    lines += [f"Gait: {GAIT[code].label}" for code in measures.gait if code in GAIT]
    return lines


@specialist_required
def assessment_edit(request, pk):
    assessment = get_assessment_for(request.user, pk)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Assessment saved.")
        return redirect("assessments:detail", pk=pk)
    return render(
        request,
        "assessments/create.html",
        {"form": form, "client": assessment.client, "assessment": assessment},
    )


@specialist_required
def assessment_compare(request, client_pk):
    client = get_client_for(request.user, client_pk)
    assessments = list(with_sections(client.assessments.all()))
    by_pk = {str(a.pk): a for a in assessments}
    if len(assessments) < 2:
        messages.info(request, "Two assessments are needed for a comparison.")
        return redirect("clients:detail", pk=client.pk)
    # Default: the latest against the one before it.
    first = by_pk.get(request.GET.get("a")) or assessments[1]
    second = by_pk.get(request.GET.get("b")) or assessments[0]
    if first.assessed_on > second.assessed_on:
        first, second = second, first
    rows = comparison.compare(measures_from(first), measures_from(second))
    findings_a = {f.code for f in interpret(measures_from(first), facts_from(first))}
    findings_b = {f.code for f in interpret(measures_from(second), facts_from(second))}
    return render(
        request,
        "assessments/compare.html",
        {
            "client": client,
            "assessments": assessments,
            "first": first,
            "second": second,
            "rows": rows,
            "resolved": sorted(findings_a - findings_b),
            "new": sorted(findings_b - findings_a),
            "kept": sorted(findings_a & findings_b),
            "progress": progress_for(assessments),
        },
    )


@specialist_required
def assessment_history(request, pk):
    assessment = get_assessment_for(request.user, pk)
    groups = [("Assessment", Assessment.history.filter(id=assessment.pk))]
    groups += [
        (spec.title, spec.model.history.filter(assessment_id=assessment.pk))
        for spec in SECTIONS
        if spec.model is not None
    ]
    groups.append(("Pain report", PainReport.history.filter(assessment_id=assessment.pk)))
    rows = audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
    return render(
        request,
        "audit.html",
        {
            "client": assessment.client,
            "rows": rows,
            "title": f"the assessment of {assessment.assessed_on:%-d %b %Y}",
        },
    )
