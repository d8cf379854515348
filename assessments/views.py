"""Specialist pages for assessments: start, record sections, read findings, compare over time,
and the posture photos (upload, landmarks, their CVA, the files through the door)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clients.access import get_client_for
from core import locking, submissions
from core.access import specialist_required

from . import photos, selectors, services
from .access import get_assessment_for, get_photo_for
from .forms import AssessmentForm, LandmarksForm, PhotoUploadForm, section_form
from .models import Assessment
from .sections import BY_KEY

CVA_CONFLICT = (
    "The assessment was saved elsewhere since this page was loaded, so the photo's CVA was "
    "not saved. The tech-neck CVA shown now is the one saved: use the photo's CVA again to "
    "replace it."
)


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
    return render(request, "assessments/detail.html", selectors.detail_page(assessment))


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
    page = selectors.comparison_with_photos(client, a=request.GET.get("a"), b=request.GET.get("b"))
    if page is None:
        messages.info(request, "Two assessments are needed for a comparison.")
        return redirect("clients:detail", pk=client.pk)
    return render(request, "assessments/compare.html", page)


@specialist_required
def assessment_history(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return render(request, "audit.html", selectors.history_page(assessment))


@specialist_required
def assessment_photos(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if request.method != "POST":
        return render(request, "assessments/photos.html", selectors.photos_page(assessment))
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo = photos.add_photo(
                assessment,
                view=form.cleaned_data["view"],
                upload=form.cleaned_data["image"],
                by=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)  # {"image": message}: shown at the file field
        else:
            messages.success(request, f"{photo.get_view_display()} photo saved.")
            return redirect("assessments:photo", pk=photo.pk)
    page = selectors.photos_page(assessment, form=form)
    return render(request, "assessments/photos.html", page, status=400)


def _photo_url(pk: int) -> str:
    return reverse("assessments:photo", args=[pk]) + "#angles"


@specialist_required
def photo_landmarks(request, pk):
    photo = get_photo_for(request.user, pk)
    if request.method != "POST":
        return render(request, "assessments/photo.html", selectors.photo_page(photo))
    form = LandmarksForm(request.POST)
    if form.is_valid():
        try:
            photos.save_landmarks(photo, form.cleaned_data["landmarks"], by=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)  # {"landmarks": "landmarks.c7 ..."}
        else:
            messages.success(request, "Landmarks saved.")
            return redirect(_photo_url(pk))
    page = selectors.photo_page(photo, form=form)
    return render(request, "assessments/photo.html", page, status=400)


@require_POST
@specialist_required
def photo_use_cva(request, pk):
    photo = get_photo_for(request.user, pk)
    try:
        cva = photos.use_photo_cva(photo, expected=locking.read_version(request.POST))
    except locking.Conflict:
        messages.error(request, CVA_CONFLICT)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"CVA {cva:g}° from the photo saved in Tech neck.")
    return redirect(_photo_url(pk))


@require_POST
@specialist_required
def photo_suggest(request, pk):
    photo = get_photo_for(request.user, pk)
    try:
        messages.info(request, photos.ask_for_suggestions(photo))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(reverse("assessments:photo", args=[pk]))


def _photo_file(stored) -> FileResponse:
    """A stored photo JPEG, shown inline, never cached or sniffed."""
    try:
        opened = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(opened, content_type="image/jpeg", filename="posture-photo.jpg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@specialist_required
def photo_image(request, pk):
    return _photo_file(get_photo_for(request.user, pk).image)


@require_GET
@specialist_required
def photo_thumbnail(request, pk):
    return _photo_file(get_photo_for(request.user, pk).thumbnail)


@require_POST
@specialist_required
def photo_delete(request, pk):
    photo = get_photo_for(request.user, pk)
    photos.delete_photo(photo)
    messages.success(request, f"{photo.get_view_display()} photo deleted.")
    return redirect("assessments:photos", pk=photo.assessment_id)
