"""Specialist pages for clients: list, record, screening, clearance, consent, portal
invitation, reassignment, archive, history, export and erasure."""

from __future__ import annotations

import logging
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from core import submissions
from core.access import require_owner, specialist_required
from core.export import export_client
from core.return_to import return_to
from programs import sharing
from programs.models import Invitation

from . import list_search, parq, selectors, services
from .access import get_client_for
from .forms import ClearanceForm, ClientForm, ConsentForm, EraseForm, ReassignForm, ScreeningForm
from .models import Client
from .population import POSTPARTUM_WINDOW_LABEL, Population

access_log = logging.getLogger("realign.access")


@specialist_required
def client_list(request):
    if request.method == "POST":
        # The search form is posted: the names typed stay out of the URL (list_search.py).
        return redirect(list_search.results_url(request))
    filters = list_search.filters(request)
    page = selectors.client_list_page(
        request.user, filters, number=request.GET.get("page"), today=timezone.localdate()
    )
    return render(
        request,
        "clients/list.html",
        {
            "page": page,
            "query": filters.query,
            "population": filters.population,
            "flag": filters.flag,
            "show_archived": filters.archived,
            "populations": list(Population),
            "filter_query": list_search.filter_query(request),
        },
    )


@specialist_required
def client_create(request):
    earlier = submissions.earlier(request, Client)
    if earlier is not None:
        submissions.tell_already_saved(request)
        return redirect("clients:detail", pk=earlier.pk)
    form = submissions.stamp(ClientForm(request.POST or None), request)
    if request.method == "POST" and form.is_valid():
        add = partial(services.add_client, form.save(commit=False), by=request.user)
        client, created = submissions.create_once(request, Client, add)
        _say_saved(request, created, f"{client.full_name} added.")
        return redirect("clients:detail", pk=client.pk)
    return render(request, "form.html", {"form": form, "title": "New client"})


@specialist_required
def client_detail(request, pk):
    client = get_client_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "record": selectors.client_record(client, today=today),
            "assessments": selectors.client_assessments(client),
            "programs": selectors.client_programs(client, today=today),
            "postpartum_label": POSTPARTUM_WINDOW_LABEL,
            "any_yes_guidance": parq.ANY_YES_GUIDANCE,
            "can_reassign": request.user.is_practice_owner,
        },
    )


@specialist_required
def client_edit(request, pk):
    client = get_client_for(request.user, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        client = services.save_client(form.save(commit=False))
        messages.success(request, "Client record saved.")
        return redirect("clients:detail", pk=client.pk)
    return render(
        request, "form.html", {"form": form, "title": f"Edit {client.full_name}", "client": client}
    )


# The dated records of a client: their form, the page's title and the message once saved.
RECORDS = {
    "screening": (ScreeningForm, "PAR-Q+ screening", "Screening saved."),
    "clearance": (ClearanceForm, "Medical clearance", "Clearance recorded."),
    "consent": (ConsentForm, "Informed consent", "Consent recorded."),
}


@specialist_required
def record_create(request, pk, kind):
    """A screening, clearance or consent of a client (``kind``, from clients/urls.py).

    Once saved it returns to the page that sent the user here (``?next=``, core/return_to.py),
    else to the client page.
    """
    form_class, title, success = RECORDS[kind]
    client = get_client_for(request.user, pk)
    model = form_class.Meta.model
    done = return_to(request, reverse("clients:detail", args=[client.pk]))
    if submissions.earlier(request, model) is not None:
        submissions.tell_already_saved(request)
        return redirect(done)
    # The instance carries its client: a form may depend on it (the consent of a minor).
    form = form_class(request.POST or None, instance=model(client=client))
    form = submissions.stamp(form, request)
    if request.method == "POST" and form.is_valid():
        add = partial(services.add_record, form.save(commit=False), by=request.user)
        _, created = submissions.create_once(request, model, add, client=client)
        _say_saved(request, created, success)
        return redirect(done)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"{title}: {client.full_name}", "client": client},
    )


def _say_saved(request, created: bool, success: str) -> None:
    """Tell what a create form's POST did: saved now, or by an earlier POST of the same form."""
    if created:
        messages.success(request, success)
    else:
        submissions.tell_already_saved(request)


@specialist_required
def client_reassign(request, pk):
    client = get_client_for(request.user, pk)
    require_owner(request.user)
    form = ReassignForm(request.POST or None, practice=client.practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.reassign_client(client, to=form.cleaned_data["specialist"])
        except ValidationError as error:
            form.add_error("specialist", error)
        else:
            messages.success(request, f"{client.full_name} reassigned.")
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Reassign {client.full_name}", "client": client},
    )


@require_POST
@specialist_required
def client_invite(request, pk):
    client = get_client_for(request.user, pk)
    if submissions.earlier(request, Invitation) is not None:
        submissions.tell_already_saved(request)
        return redirect("clients:detail", pk=client.pk)
    send = partial(sharing.invite_client, client, by=request.user, request=request)
    try:
        invitation, _ = submissions.create_once(request, Invitation, send, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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


@require_POST
@specialist_required
def client_archive(request, pk):
    client = get_client_for(request.user, pk)
    services.archive_client(client)
    messages.success(request, f"{client.full_name} archived. Nothing was deleted.")
    return redirect("clients:list")


@require_POST
@specialist_required
def client_restore(request, pk):
    client = get_client_for(request.user, pk)
    services.restore_client(client)
    messages.success(request, f"{client.full_name} restored.")
    return redirect("clients:detail", pk=client.pk)


@specialist_required
def client_erase(request, pk):
    client = get_client_for(request.user, pk)
    form = EraseForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        services.erase_client(client)
        messages.success(request, "All data of the client was erased.")
        return redirect(reverse("clients:list"))
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Erase {client.full_name}", "client": client},
    )


@specialist_required
def client_history(request, pk):
    client = get_client_for(request.user, pk)
    rows = selectors.client_history(client)
    return render(
        request, "audit.html", {"client": client, "rows": rows, "title": client.full_name}
    )


@specialist_required
def client_export(request, pk):
    client = get_client_for(request.user, pk)
    # Exports are access to a whole record: logged with ids only (HIPAA 164.312(b)).
    access_log.info("client export: user=%s client=%s", request.user.pk, client.pk)
    response = HttpResponse(export_client(client), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"realign-client-{client.pk}-export.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
