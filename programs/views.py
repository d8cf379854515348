"""Specialist pages for programs: the dashboard; generate from an assessment, review, edit,
publish, re-run; documents and share links; the exercise library and the sources."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessments.access import get_assessment_for
from core import locking, site, submissions
from core.access import specialist_required
from core.data_files import DataFileError

from . import bibliography, selectors, services, sharing
from .access import get_item_for, get_link_of, get_phase_of, get_version_for
from .adherence import PAIN_ATTENTION
from .browse import LibraryFilter
from .documents import build_specialist_report
from .dose import dose_of
from .downloads import document_response, pdf_response, report_response
from .forms import AcknowledgeForm, AddExerciseForm, ItemForm, OverrideForm, ShareLinkForm
from .models import Download, ProgramExercise, ProgramVersion, ShareLink
from .pdf.report import render_referral_letter

STALE_PAGE = (
    "Someone else changed this program while you had it open, so nothing was changed. "
    "Here is the program as it is now: check it and try again."
)


def _write(request, version: ProgramVersion, write: Callable[[], object]) -> bool:
    """Run ``write`` with the version claimed at the page's lock version; False, with the
    reason told to the user, when the page was stale or the write was refused (no change)."""
    try:
        with locking.claimed(ProgramVersion, version.pk, locking.read_version(request.POST)):
            write()
    except locking.Conflict:
        messages.error(request, STALE_PAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


def _back(item: ProgramExercise):
    return redirect(
        reverse("programs:version", args=[item.phase.version_id]) + f"#phase-{item.phase_id}"
    )


# --- The dashboard ---------------------------------------------------------------------------


@specialist_required
def dashboard(request):
    """What needs doing today, in a fixed number of queries."""
    return _dashboard_page(request)


def _dashboard_page(request, *, bound: AcknowledgeForm | None = None, bound_pk=None, status=200):
    today = timezone.localdate()
    lists = selectors.dashboard_lists(request.user, today=today)
    for version in lists["attention"]:
        if version.pain_alert:
            mine = version.pk == bound_pk
            version.ack_form = bound if mine else AcknowledgeForm.for_version(version.pk)
    context = {"today": today, **lists, "pain_attention": PAIN_ATTENTION}
    return render(request, "programs/dashboard.html", context, status=status)


@require_POST
@specialist_required
def acknowledge_pain(request, pk):
    """Acknowledge a plan's high pain ratings with a note: the client leaves the attention
    list until a new one is logged."""
    version = get_version_for(request.user, pk)
    form = AcknowledgeForm.for_version(version.pk, request.POST)
    if not form.is_valid():
        return _dashboard_page(request, bound=form, bound_pk=version.pk, status=400)
    count = services.acknowledge_pain(version, by=request.user, note=form.cleaned_data["note"])
    name = version.program.client.full_name
    if count:
        messages.success(request, f"Pain rating of {name} acknowledged.")
    else:
        messages.info(request, f"Nothing was left to acknowledge for {name}.")
    return redirect("dashboard")


# --- A program's versions --------------------------------------------------------------------


@require_POST
@specialist_required
def generate(request, assessment_pk):
    assessment = get_assessment_for(request.user, assessment_pk)
    try:
        version = services.generate_program(assessment, by=request.user)
    except DataFileError as error:
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
    context = {**selectors.version_page(version), "share_form": ShareLinkForm()}
    return render(request, "programs/version.html", context)


@require_safe
@specialist_required
def download(request, pk):
    version = get_version_for(request.user, pk, with_pdf=True)
    sharing.record_download(request, version, channel=Download.Channel.SPECIALIST)
    return pdf_response(version, sharing.plan_pdf(version))


@require_safe
@specialist_required
def report(request, pk):
    """The specialist's report of a version (findings, citations, referral, rules), drawn
    now from the version's record: for the file and the clinician a client is referred to."""
    return report_response(get_version_for(request.user, pk), today=timezone.localdate())


@require_safe
@specialist_required
def referral_letter(request, pk):
    """The one-page referral letter; 404 when the version requires no referral."""
    version = get_version_for(request.user, pk)
    document = build_specialist_report(version, today=timezone.localdate())
    if not document.referral.required:
        raise Http404("This program requires no referral.")
    return document_response(
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
    sharing.revoke_link(get_link_of(version, link_pk))
    messages.success(request, "Link revoked: it stops working now.")
    return redirect("programs:version", pk=version.pk)


# --- Editing a draft -------------------------------------------------------------------------


@specialist_required
def item_edit(request, pk):
    item = get_item_for(request.user, pk)
    version = item.phase.version
    form = ItemForm(request.POST or None, instance=item, lock_version=version.lock_version)
    status = 200
    if request.method == "POST" and not version.is_published and form.is_valid():
        try:
            with locking.claimed(ProgramVersion, version.pk, form.cleaned_data["lock_version"]):
                form.save()
        except locking.Conflict:
            form, status = _edited_meanwhile(request, item), 409
        else:
            messages.success(request, f"{item.name} saved.")
            return _back(item)
    if version.is_published:
        form.add_error(None, services.PUBLISHED_IS_READ_ONLY)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Edit {item.name}", "client": version.program.client},
        status=status,
    )


def _edited_meanwhile(request, item: ProgramExercise) -> ItemForm:
    """The user's entry on a form at the current version, with what is saved now."""
    current = get_item_for(request.user, item.pk)
    saved = f"{locking.CONFLICT} Saved now: {dose_of(current)}, notes: {current.notes or '—'}."
    # A fresh form at the current version keeps the entry; validating it copies the
    # entry onto `current`, which is why the message is built first.
    form = ItemForm(request.POST, instance=current, lock_version=current.phase.version.lock_version)
    form.is_valid()
    form.add_error(None, saved)
    return form


@require_POST
@specialist_required
def item_move(request, pk):
    item = get_item_for(request.user, pk)
    up = request.POST.get("direction") == "up"
    _write(request, item.phase.version, lambda: services.move_exercise(item, up=up))
    return _back(item)


@require_POST
@specialist_required
def item_remove(request, pk):
    item = get_item_for(request.user, pk)
    if _write(request, item.phase.version, lambda: services.remove_exercise(item)):
        messages.success(request, f"{item.name} removed.")
    return _back(item)


@specialist_required
def item_swap(request, pk, to):
    item = get_item_for(request.user, pk)
    replacement, conflicts = selectors.swap_candidate(item, to)
    if replacement is None:
        messages.error(request, f"{item.name} has no {to} in the library.")
        return _back(item)
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
    phase = get_phase_of(version, phase_pk)
    form = AddExerciseForm(
        request.POST or None,
        phase=phase,
        population=version.population,
        blocked=services.excluded_tags(version),
    )
    if request.method == "POST" and form.is_valid():
        exercise, reason = form.cleaned_data["exercise"], form.cleaned_data["override_reason"]
        try:
            with locking.claimed(ProgramVersion, version.pk, locking.read_version(request.POST)):
                item = services.add_exercise(version, phase, exercise, override_reason=reason)
        except locking.Conflict:
            messages.error(request, STALE_PAGE)
            return redirect("programs:version", pk=version.pk)
        except ValidationError as error:
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
        context = {**selectors.publish_confirmation(version), "confirm": PUBLISH_CONFIRMATION}
        return render(request, "programs/publish_confirm.html", context)
    if _write(request, version, lambda: services.publish(version, by=request.user)):
        messages.success(request, f"Version {version.number} published.")
    return redirect("programs:version", pk=version.pk)


@require_POST
@specialist_required
def new_version(request, pk):
    version = get_version_for(request.user, pk)
    if not version.is_published:
        return redirect("programs:version", pk=version.pk)
    return _to_new_draft(
        request,
        version,
        lambda: services.new_version(version, by=request.user),
        lambda draft: f"Version {draft.number} started from version {version.number}.",
    )


@require_POST
@specialist_required
def redraft(request, pk):
    version = get_version_for(request.user, pk)
    return _to_new_draft(
        request,
        version,
        lambda: services.redraft(version, by=request.user),
        lambda draft: f"Version {draft.number} drafted under ruleset {draft.ruleset.version}.",
    )


def _to_new_draft(
    request,
    version: ProgramVersion,
    start: Callable[[], ProgramVersion],
    told: Callable[[ProgramVersion], str],
):
    """Start a draft from ``version`` and open it, saying ``told(draft)``; back to ``version``
    with the reason when the draft is refused."""
    try:
        draft = start()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:version", pk=version.pk)
    messages.success(request, told(draft))
    return redirect("programs:version", pk=draft.pk)


@specialist_required
def rerun(request, pk):
    version = get_version_for(request.user, pk)
    try:
        result = selectors.rerun(version)
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
    program = get_version_for(request.user, pk).program
    rows = selectors.program_history(program)
    return render(
        request,
        "audit.html",
        {"client": program.client, "rows": rows, "title": f"program {program.pk}"},
    )


@require_safe
@specialist_required
def library(request):
    """Every exercise with its illustration, for a specialist to browse (filters optional)."""
    form = LibraryFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    page = selectors.library_page(
        position=chosen.get("position", ""), population=chosen.get("population", "")
    )
    return render(request, "programs/library.html", {"form": form, **page})


@require_safe
def sources(request):
    """The bibliography: every source id the rules, norms and findings cite, in full."""
    return render(request, "programs/sources.html", {"sources": bibliography.all_sources()})
