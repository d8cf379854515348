"""Reads that build the assessment pages: each loads what its page shows and hands it to the
pure modules (interpret, comparison, progress) that compute it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from clients import guardian
from core.audit import audit_rows

from . import comparison
from .findings import by_region
from .forms import section_form
from .interpret import interpret, referral_for
from .models import Assessment, PainReport
from .norms import fall_risk_results, senior_results
from .progress import progress_for
from .records import clearance_recorded, facts_from, measures_from, section_of, with_sections
from .sections import BY_KEY, CHANGED, SECTIONS, section_status, sections_for


def interpretation(assessment: Assessment):
    """Findings and referral of a saved assessment (pure functions over its plain data)."""
    measures, facts = measures_from(assessment), facts_from(assessment)
    findings = interpret(measures, facts)
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
        "measure_rows": comparison.measure_rows(measures),
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
    rows = audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
    return {
        "client": assessment.client,
        "rows": rows,
        "title": f"the assessment of {assessment.assessed_on:%-d %b %Y}",
    }
