"""Specialist pages for programs: generate from an assessment, review, edit, publish, re-run."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessments.access import get_assessment_for
from clients.access import get_client_for
from core import locking, site, submissions
from core.access import specialist_required
from core.audit import audit_rows

from . import bibliography, services, sharing
from .access import get_item_for, get_version_for
from .case import CaseError
from .documents import build_specialist_report
from .dose import dose_of
from .downloads import pdf_response
from .forms import AddExerciseForm, ItemForm, OverrideForm, ShareLinkForm
from .models import (
    Download,
    Exercise,
    Invitation,
    Phase,
    Program,
    ProgramExercise,
    ProgramVersion,
    ShareLink,
)
from .pdf.report import render_referral_letter, render_report

STALE_PAGE = (
    "Someone else changed this program while you had it open, so nothing was changed. "
    "Here is the program as it is now: check it and try again."
)


def _claim(request, version: ProgramVersion) -> bool:
    """Move the program version on, or tell the user their page was stale (no change made)."""
    if locking.claim(ProgramVersion, version.pk, locking.read_version(request.POST)):
        return True
    messages.error(request, STALE_PAGE)
    return False


def _back(item: ProgramExercise):
    return redirect(
        reverse("programs:version", args=[item.phase.version_id]) + f"#phase-{item.phase_id}"
    )


@require_POST
@specialist_required
def generate(request, assessment_pk):
    assessment = get_assessment_for(request.user, assessment_pk)
    try:
        version = services.generate_program(assessment, by=request.user)
    except CaseError as error:
        # The saved records contradict each other (e.g. dates): say which, do not crash.
        messages.error(
            request, f"A program cannot be suggested yet: {error.field}: {error.message}"
        )
        return redirect("assessments:detail", pk=assessment.pk)
    messages.success(request, "Draft program suggested from the assessment. Review it below.")
    return redirect("programs:version", pk=version.pk)


@specialist_required
def version_detail(request, pk):
    version = get_version_for(request.user, pk)
    items = Prefetch("items", ProgramExercise.objects.select_related("exercise"))
    phases = list(version.phases.prefetch_related(items))
    excluded = version.draft.get("excluded", [])
    names = dict(
        Exercise.objects.filter(slug__in=[e["slug"] for e in excluded]).values_list("slug", "name")
    )
    return render(
        request,
        "programs/version.html",
        {
            "version": version,
            "client": version.program.client,
            "phases": phases,
            "check": services.publish_check(version),
            "excluded": [dict(e, name=names.get(e["slug"], e["slug"])) for e in excluded],
            "rules_fired": version.draft.get("rules_fired", []),
            "other_versions": version.program.versions.exclude(pk=version.pk).only(
                "number", "status", "published_at"
            ),
            "links": sharing.listed_links(version, now=timezone.now()),
            "downloads": version.downloads.select_related("user")[:20],
            "share_form": ShareLinkForm(),
        },
    )


@require_safe
@specialist_required
def download(request, pk):
    version = get_version_for(request.user, pk, with_pdf=True)
    sharing.record_download(request, version, channel=Download.Channel.SPECIALIST)
    return pdf_response(version, sharing.plan_pdf(version))


def _document_response(version: ProgramVersion, pdf: bytes, kind: str) -> FileResponse:
    """A specialist's document as a download, with the plan download's headers (no-store),
    named for what it is: "realign-report-…" or "realign-referral-…"."""
    response = pdf_response(version, pdf)
    name = sharing.download_name(version).replace("realign-plan-", f"realign-{kind}-", 1)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_safe
@specialist_required
def report(request, pk):
    """The specialist's report of a version (findings, citations, referral, rules), drawn
    now from the version's record: for the file and the clinician a client is referred to."""
    version = get_version_for(request.user, pk)
    document = build_specialist_report(version, today=timezone.localdate())
    return _document_response(
        version, render_report(document, pagesize=settings.PLAN_PAGE_SIZE), "report"
    )


@require_safe
@specialist_required
def referral_letter(request, pk):
    """The one-page referral letter; 404 when the version requires no referral."""
    version = get_version_for(request.user, pk)
    document = build_specialist_report(version, today=timezone.localdate())
    if not document.referral.required:
        raise Http404("This program requires no referral.")
    return _document_response(
        version, render_referral_letter(document, pagesize=settings.PLAN_PAGE_SIZE), "referral"
    )


@require_POST
@never_cache
@specialist_required
def share_create(request, pk):
    version = get_version_for(request.user, pk)
    earlier = submissions.earlier(request, ShareLink)
    if earlier is not None:
        return _link_already_created(request, earlier)
    form = ShareLinkForm(request.POST)
    if not version.is_published or not form.is_valid():
        messages.error(request, "Links are for published versions, valid for 1 to 365 days.")
        return redirect("programs:version", pk=version.pk)
    tokens = []

    def create():
        link, token = sharing.create_share_link(
            version, by=request.user, days=form.cleaned_data["days"]
        )
        tokens.append(token)
        return link

    link, created = submissions.create_once(
        request, ShareLink, create, client=version.program.client
    )
    if not created:
        return _link_already_created(request, link)
    url = site.absolute_url(request, reverse("portal:shared_plan", args=[tokens[0]]))
    # Shown once: only the token's hash is stored, so it cannot be shown again.
    return render(
        request,
        "programs/share_created.html",
        {"version": version, "client": version.program.client, "link": link, "url": url},
    )


LINK_ALREADY_CREATED = (
    "That request had already created link #{number}; its address is shown only once. "
    "If you did not keep it, revoke link #{number} below and create a new one."
)


def _link_already_created(request, link: ShareLink):
    messages.info(request, LINK_ALREADY_CREATED.format(number=link.pk))
    return redirect(reverse("programs:version", args=[link.version_id]) + "#share-h")


@require_POST
@specialist_required
def share_revoke(request, pk, link_pk):
    version = get_version_for(request.user, pk)
    link = get_object_or_404(ShareLink, pk=link_pk, version=version)
    sharing.revoke_link(link)
    messages.success(request, "Link revoked: it stops working now.")
    return redirect("programs:version", pk=version.pk)


@require_POST
@specialist_required
def invite(request, client_pk):
    client = get_client_for(request.user, client_pk)
    if submissions.earlier(request, Invitation) is not None:
        submissions.tell_already_saved(request)
        return redirect("clients:detail", pk=client.pk)
    try:
        invitation, _ = submissions.create_once(
            request,
            Invitation,
            lambda: sharing.invite_client(client, by=request.user, request=request),
            client=client,
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        # The email has gone (or failed) by now: it is sent once the records are committed.
        messages.add_message(request, *_invitation_outcome(invitation))
    return redirect("clients:detail", pk=client.pk)


def _invitation_outcome(invitation: Invitation) -> tuple[int, str]:
    """The message level and text that tell the specialist what became of an invitation."""
    email = invitation.client.email
    if invitation.status == Invitation.Status.SENT:
        return messages.SUCCESS, sharing.INVITATION_SENT.format(email=email)
    if invitation.status == Invitation.Status.NOT_SENT:
        return messages.ERROR, sharing.INVITATION_NOT_SENT.format(email=email)
    return messages.INFO, sharing.INVITATION_SENDING.format(email=email)


@specialist_required
def item_edit(request, pk):
    item = get_item_for(request.user, pk)
    version = item.phase.version
    form = ItemForm(request.POST or None, instance=item, lock_version=version.lock_version)
    status = 200
    if request.method == "POST" and not version.is_published and form.is_valid():
        with transaction.atomic():
            if locking.claim(ProgramVersion, version.pk, form.cleaned_data["lock_version"]):
                form.save()
                messages.success(request, f"{item.name} saved.")
                return _back(item)
        current = ProgramExercise.objects.select_related("phase__version").get(pk=item.pk)
        saved = f"{locking.CONFLICT} Saved now: {dose_of(current)}, notes: {current.notes or '—'}."
        # A fresh form at the current version keeps the entry; validating it copies the
        # entry onto `current`, which is why the message is built first.
        form = ItemForm(
            request.POST, instance=current, lock_version=current.phase.version.lock_version
        )
        form.is_valid()
        form.add_error(None, saved)
        status = 409
    if version.is_published:
        form.add_error(None, services.PUBLISHED_IS_READ_ONLY)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Edit {item.name}", "client": version.program.client},
        status=status,
    )


@require_POST
@specialist_required
def item_move(request, pk):
    item = get_item_for(request.user, pk)
    with transaction.atomic():
        if _claim(request, item.phase.version):
            try:
                services.move_exercise(item, up=request.POST.get("direction") == "up")
            except ValidationError as error:
                transaction.set_rollback(True)
                messages.error(request, " ".join(error.messages))
    return _back(item)


@require_POST
@specialist_required
def item_remove(request, pk):
    item = get_item_for(request.user, pk)
    with transaction.atomic():
        if _claim(request, item.phase.version):
            try:
                services.remove_exercise(item)
                messages.success(request, f"{item.name} removed.")
            except ValidationError as error:
                transaction.set_rollback(True)
                messages.error(request, " ".join(error.messages))
    return _back(item)


@specialist_required
def item_swap(request, pk, to):
    item = get_item_for(request.user, pk)
    slug = item.exercise.data.get(to) if to in ("regression", "progression") else None
    replacement = Exercise.objects.filter(slug=slug).first() if slug else None
    if replacement is None:
        messages.error(request, f"{item.name} has no {to} in the library.")
        return _back(item)
    conflicts = services.safety_conflicts(item.phase.version, replacement)
    form = OverrideForm(
        request.POST if request.method == "POST" else None, required=bool(conflicts)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.swap_exercise(
                item, to=to, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Swapped for {replacement.name}.")
            return _back(item)
    return render(
        request,
        "programs/swap.html",
        {
            "item": item,
            "to": to,
            "replacement": replacement,
            "conflicts": conflicts,
            "form": form,
            "client": item.phase.version.program.client,
        },
    )


@specialist_required
def item_add(request, pk, phase_pk):
    version = get_version_for(request.user, pk)
    phase = get_object_or_404(Phase, pk=phase_pk, version=version)
    blocked = services.excluded_tags(version)
    form = AddExerciseForm(
        request.POST or None, phase=phase, population=version.population, blocked=blocked
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not _claim(request, version):
                return redirect("programs:version", pk=version.pk)
            try:
                item = services.add_exercise(
                    version,
                    phase,
                    form.cleaned_data["exercise"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except ValidationError as error:
                transaction.set_rollback(True)
                form.add_error(None, error)
            else:
                messages.success(request, f"{item.name} added to {phase.title}.")
                return _back(item)
    return render(
        request,
        "programs/add.html",
        {"form": form, "version": version, "phase": phase, "client": version.program.client},
    )


# The field and value the confirmation page posts: without them a POST publishes nothing.
PUBLISH_CONFIRMATION = ("confirm", "publish")


@specialist_required
def publish(request, pk):
    """Publishing in two steps: this page says what the client will see, and only its own
    POST (which carries the confirmation) publishes; anything else changes nothing."""
    version = get_version_for(request.user, pk)
    field, value = PUBLISH_CONFIRMATION
    if request.method != "POST" or request.POST.get(field) != value:
        if version.is_published:
            return redirect("programs:version", pk=version.pk)
        return _publish_confirmation(request, version)
    with transaction.atomic():
        if _claim(request, version):
            try:
                services.publish(version, by=request.user)
            except ValidationError as error:
                transaction.set_rollback(True)
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Version {version.number} published.")
    return redirect("programs:version", pk=version.pk)


def _publish_confirmation(request, version: ProgramVersion):
    client = version.program.client
    phases = list(version.phases.prefetch_related("items"))
    return render(
        request,
        "programs/publish_confirm.html",
        {
            "version": version,
            "client": client,
            "phases": phases,
            "exercise_count": sum(len(phase.items.all()) for phase in phases),
            "check": services.publish_check(version),
            "confirm": PUBLISH_CONFIRMATION,
            "portal_account": client.user_id is not None,
            "earlier": version.program.versions.filter(
                status=ProgramVersion.Status.PUBLISHED
            ).exists(),
        },
    )


@require_POST
@specialist_required
def new_version(request, pk):
    version = get_version_for(request.user, pk)
    if not version.is_published:
        return redirect("programs:version", pk=version.pk)
    draft = services.new_version(version, by=request.user)
    messages.success(request, f"Version {draft.number} started from version {version.number}.")
    return redirect("programs:version", pk=draft.pk)


@require_POST
@specialist_required
def redraft(request, pk):
    version = get_version_for(request.user, pk)
    try:
        draft = services.redraft(version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:version", pk=version.pk)
    messages.success(
        request, f"Version {draft.number} drafted under ruleset {draft.ruleset.version}."
    )
    return redirect("programs:version", pk=draft.pk)


@specialist_required
def rerun(request, pk):
    version = get_version_for(request.user, pk)
    try:
        result = services.rerun(version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:version", pk=version.pk)
    return render(
        request,
        "programs/rerun.html",
        {"version": version, "client": version.program.client, "result": result},
    )


@specialist_required
def program_history(request, pk):
    version = get_version_for(request.user, pk)
    program = version.program
    version_ids = list(program.versions.values_list("pk", flat=True))
    phase_ids = list(Phase.history.filter(version_id__in=version_ids).values_list("id", flat=True))
    groups = [
        ("Program", Program.history.filter(id=program.pk)),
        ("Version", ProgramVersion.history.filter(program_id=program.pk)),
        ("Phase", Phase.history.filter(version_id__in=version_ids)),
        ("Exercise in the program", ProgramExercise.history.filter(phase_id__in=set(phase_ids))),
    ]
    rows = audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
    return render(
        request,
        "audit.html",
        {"client": program.client, "rows": rows, "title": f"program {program.pk}"},
    )


@require_safe
def sources(request):
    """The bibliography: every source id the rules, norms and findings cite, in full."""
    return render(request, "programs/sources.html", {"sources": bibliography.all_sources()})
