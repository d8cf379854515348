"""Specialist pages for assessments: start, record sections, read findings, compare over time."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clients.access import get_client_for
from core import locking, submissions
from core.access import specialist_required

from . import selectors, services
from .access import get_assessment_for
from .forms import AssessmentForm, section_form
from .models import Assessment
from .sections import BY_KEY


@specialist_required
def assessment_create(request, client_pk):
    client = get_client_for(request.user, client_pk)
    earlier = submissions.earlier(request, Assessment)
    if earlier is not None:
        submissions.tell_already_saved(request)
        return redirect("assessments:record", pk=earlier.pk)
    form = submissions.stamp(AssessmentForm(request.POST or None, client=client), request)
    # A minor needs a parent or guardian's consent too, judged on the assessment date.
    guardian_missing = selectors.guardian_missing(client, form)
    if request.method == "POST":
        try:
            services.check_consent(client, guardian_missing=guardian_missing)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.is_valid():
                create = partial(services.create_assessment, form, client=client, by=request.user)
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
            "consent_required": services.CONSENT_REQUIRED,
            "guardian_missing": guardian_missing,
        },
    )


def _render_record(request, assessment, *, bound_key=None, bound=None, status=200):
    page = selectors.record_page(
        assessment, added=request.GET.getlist("add"), bound_key=bound_key, bound=bound
    )
    return render(request, "assessments/record.html", page, status=status)


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
    form = section_form(spec, assessment, data=request.POST)
    if not form.is_valid():
        return _render_record(request, assessment, bound_key=key, bound=form)
    expected = locking.read_version(request.POST)
    try:
        services.save_section(form, assessment=assessment, expected=expected)
    except locking.Conflict as conflict:
        # Re-show the section with the entry kept and the other person's change beside it.
        current = get_assessment_for(request.user, pk)
        form.conflict = {"message": conflict.message, "theirs": selectors.theirs(spec, current)}
        return _render_record(request, current, bound_key=key, bound=form, status=409)
    messages.success(request, f"{spec.title} saved.")
    return redirect(selectors.saved_section_url(assessment, key, request.GET.getlist("add")))


@specialist_required
def assessment_detail(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return render(request, "assessments/detail.html", selectors.findings_page(assessment))


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
    page = selectors.comparison_page(client, a=request.GET.get("a"), b=request.GET.get("b"))
    if page is None:
        messages.info(request, "Two assessments are needed for a comparison.")
        return redirect("clients:detail", pk=client.pk)
    return render(request, "assessments/compare.html", page)


@specialist_required
def assessment_history(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return render(request, "audit.html", selectors.history_page(assessment))
