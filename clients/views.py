"""Specialist pages for clients: list, record, screening, clearance, consent, archive, erasure."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from clients.access import get_client_for
from core import submissions
from core.access import require_owner, specialist_required
from core.audit import audit_rows
from core.export import export_client
from core.return_to import return_to

from . import guardian, list_search, parq, services
from .forms import (
    ClearanceForm,
    ClientForm,
    ConsentForm,
    EraseForm,
    ReassignForm,
    ScreeningForm,
)
from .models import Clearance, Client, Consent, Screening
from .population import POSTPARTUM_WINDOW_LABEL, Population

access_log = logging.getLogger("realign.access")


@specialist_required
def client_list(request):
    if request.method == "POST":
        # The search form is posted: the names typed stay out of the URL (list_search.py).
        return redirect(list_search.results_url(request))
    today = timezone.localdate()
    query = list_search.recall(request.session, request.GET.get("search"))
    population = request.GET.get("population", "")
    flag = request.GET.get("flag", "")
    show_archived = request.GET.get("archived") == "1"

    clients = Client.objects.for_user(request.user)
    clients = clients.archived() if show_archived else clients.active()
    if query:
        clients = clients.search(query)
    if population in Population.__members__.values():
        clients = clients.in_population(population, on=today)
    if flag == "clearance":
        clients = clients.with_status().filter(needs_clearance=True)
    elif flag == "consent":
        clients = clients.with_status().filter(has_consent=False)
    ids = clients.order_by("-last_activity_at", "-id").values_list("pk", flat=True)

    # Page the ids, then load and annotate only the page's rows: with OFFSET, annotating
    # in the paged query computes the status of every client skipped on the way.
    page = Paginator(ids, settings.CLIENT_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    rows = Client.objects.filter(pk__in=page_ids).with_status().select_related("specialist")
    by_pk = {client.pk: client for client in rows}
    page.object_list = [by_pk[pk] for pk in page_ids if pk in by_pk]
    for client in page.object_list:
        client.population_now = client.population(today)
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "clients/list.html",
        {
            "page": page,
            "query": query,
            "population": population,
            "flag": flag,
            "show_archived": show_archived,
            "populations": list(Population),
            "filter_query": filters.urlencode(),
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

        def create():
            client = form.save(commit=False)
            client.practice = request.user.practice
            client.specialist = request.user
            client.save()
            return client

        client, created = submissions.create_once(request, Client, create)
        if created:
            messages.success(request, f"{client.full_name} added.")
        else:
            submissions.tell_already_saved(request)
        return redirect("clients:detail", pk=client.pk)
    return render(request, "form.html", {"form": form, "title": "New client"})


@specialist_required
def client_detail(request, pk):
    client = get_client_for(request.user, pk)
    today = timezone.localdate()
    screenings = list(client.screenings.select_related("recorded_by"))
    latest = screenings[0] if screenings else None
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "population": client.population(today),
            "postpartum_label": POSTPARTUM_WINDOW_LABEL,
            "weeks_postpartum": (
                (today - client.delivery_date).days // 7 if client.delivery_date else None
            ),
            "screenings": screenings,
            "latest_screening": latest,
            "clearances": client.clearances.select_related("recorded_by"),
            "consents": client.consents.select_related("recorded_by"),
            "guardian_missing": guardian.guardian_consent_missing(client, today),
            "any_yes_guidance": parq.ANY_YES_GUIDANCE,
            "all_no_guidance": parq.ALL_NO_GUIDANCE,
            "can_reassign": request.user.is_practice_owner,
        },
    )


@specialist_required
def client_edit(request, pk):
    client = get_client_for(request.user, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        client = form.save(commit=False)
        client.last_activity_at = timezone.now()
        client.save()
        messages.success(request, "Client record saved.")
        return redirect("clients:detail", pk=client.pk)
    return render(
        request, "form.html", {"form": form, "title": f"Edit {client.full_name}", "client": client}
    )


def _record_for_client(request, pk, form_class, *, title, success):
    """Shared flow for a dated record that belongs to a client and its recorder.

    Once saved it returns to the page that sent the user here (``?next=``, clients/return_to.py),
    else to the client page.
    """
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

        def create():
            record = form.save(commit=False)
            record.client = client
            record.recorded_by = request.user
            record.save()
            client.touch()
            return record

        _, created = submissions.create_once(request, model, create, client=client)
        if created:
            messages.success(request, success)
        else:
            submissions.tell_already_saved(request)
        return redirect(done)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"{title}: {client.full_name}", "client": client},
    )


@specialist_required
def screening_create(request, pk):
    return _record_for_client(
        request, pk, ScreeningForm, title="PAR-Q+ screening", success="Screening saved."
    )


@specialist_required
def clearance_create(request, pk):
    return _record_for_client(
        request, pk, ClearanceForm, title="Medical clearance", success="Clearance recorded."
    )


@specialist_required
def consent_create(request, pk):
    return _record_for_client(
        request, pk, ConsentForm, title="Informed consent", success="Consent recorded."
    )


@specialist_required
def client_reassign(request, pk):
    client = get_client_for(request.user, pk)
    require_owner(request.user)
    form = ReassignForm(request.POST or None, practice=client.practice)
    if request.method == "POST" and form.is_valid():
        services.reassign_client(client, to=form.cleaned_data["specialist"])
        messages.success(request, f"{client.full_name} reassigned.")
        return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Reassign {client.full_name}", "client": client},
    )


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
    groups = [
        ("Client record", Client.history.filter(id=client.pk)),
        ("PAR-Q+ screening", Screening.history.filter(client_id=client.pk)),
        ("Clearance", Clearance.history.filter(client_id=client.pk)),
        ("Consent", Consent.history.filter(client_id=client.pk)),
    ]
    rows = audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
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
