"""Reads that build the client pages: the list's page of rows, the client page and its panels.

Each function takes the client (already through clients/access.py) or the user's scope and a
date, and returns plain values for the template; the attention rule is programs/adherence.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, When, Window
from django.db.models.functions import RowNumber

from assessments.models import Assessment
from assessments.progress import Progress, progress_for
from assessments.records import with_sections
from core.audit import AuditRow, audit_rows
from programs.adherence import QUIET_WEEKS, Week, needs_attention, week_starts, weeks
from programs.models import Invitation, ProgramVersion, SessionLog

from . import guardian
from .access import clients_for
from .list_search import ListFilters
from .models import Clearance, Client, Consent, Screening
from .population import Population

SHOWN_WEEKS = 8  # the client page shows the plan's latest weeks
NOTES_SHOWN = 5  # and the latest sessions with their notes


@dataclass(frozen=True)
class Record:
    """The client's own record as the client page shows it, on a given day."""

    population: Population
    weeks_postpartum: int | None
    screenings: list[Screening]
    clearances: list[Clearance]
    consents: list[Consent]
    guardian_missing: str | None

    @property
    def latest_screening(self) -> Screening | None:
        return self.screenings[0] if self.screenings else None


@dataclass(frozen=True)
class Assessments:
    """The client's assessments, newest first, and their key measures over time."""

    assessments: list[Assessment]
    progress: Progress


@dataclass(frozen=True)
class Adherence:
    """The current plan's last weeks, why the client needs attention, the latest sessions."""

    weeks: list[Week] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    recent_sessions: list[SessionLog] = field(default_factory=list)


@dataclass(frozen=True)
class Programs:
    """The client's program versions, the published one's adherence, the latest invitation."""

    versions: list[ProgramVersion]
    current: ProgramVersion | None
    adherence: Adherence
    invitation: Invitation | None


def client_list_page(user, filters: ListFilters, *, number, today: date) -> Page:
    """One page of the user's clients, most recently active first, with their status."""
    clients = clients_for(user)
    clients = clients.archived() if filters.archived else clients.active()
    if filters.query:
        clients = clients.search(filters.query)
    if filters.population in Population.__members__.values():
        clients = clients.in_population(filters.population, on=today)
    if filters.flag == "clearance":
        clients = clients.with_status().filter(needs_clearance=True)
    elif filters.flag == "consent":
        clients = clients.with_status().filter(has_consent=False)
    ids = clients.recent_first(archived=filters.archived).values_list("pk", flat=True)

    # Page the ids, then load and annotate only the page's rows: with OFFSET, annotating
    # in the paged query computes the status of every client skipped on the way.
    page = Paginator(ids, settings.CLIENT_LIST_PAGE_SIZE).get_page(number)
    page_ids = list(page.object_list)
    rows = Client.objects.filter(pk__in=page_ids).with_status().select_related("specialist")
    by_pk = {client.pk: client for client in rows}
    page.object_list = [by_pk[pk] for pk in page_ids if pk in by_pk]
    for client in page.object_list:
        client.population_now = client.population(today)
    return page


def client_record(client: Client, *, today: date) -> Record:
    """The client's population, screenings, clearances and consents, newest first."""
    delivered = client.delivery_date
    return Record(
        population=client.population(today),
        weeks_postpartum=(today - delivered).days // 7 if delivered else None,
        screenings=list(client.screenings.select_related("recorded_by")),
        clearances=list(client.clearances.select_related("recorded_by")),
        consents=list(client.consents.select_related("recorded_by")),
        guardian_missing=guardian.guardian_consent_missing(client, today),
    )


def client_assessments(client: Client) -> Assessments:
    """The client's assessments with every section, and the progress charts drawn from them."""
    assessments = list(with_sections(client.assessments.select_related("specialist")))
    return Assessments(assessments, progress_for(assessments))


def client_programs(client: Client, *, today: date) -> Programs:
    """The client's program versions (newest first), the published one's adherence up to
    ``today`` and the latest portal invitation (a "not sent" one offers "Send again")."""
    # The latest invitation rides on the versions query: the page spends no query on it.
    latest = Invitation.objects.filter(client_id=OuterRef("program__client_id")).order_by(
        "-created_at", "-id"
    )
    versions = list(
        ProgramVersion.objects.filter(program__client=client)
        .select_related("assessment")
        .annotate(
            invitation_pk=Subquery(latest.values("pk")[:1]),
            invitation_status=Subquery(latest.values("status")[:1]),
            invitation_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-program__created_at", "-number")
    )
    current = next((v for v in versions if v.is_published), None)
    return Programs(
        versions=versions,
        current=current,
        adherence=_adherence(current, today=today) if current else Adherence(),
        invitation=_latest_invitation(client, versions),
    )


def _adherence(version: ProgramVersion, *, today: date) -> Adherence:
    """The plan's last weeks, why the client needs attention and the latest sessions.

    One query whatever the number of sessions logged: the database counts each day's
    sessions and finds its worst pain over every row, and returns only a row per day of the
    weeks shown and the latest few sessions (for their notes).
    """
    sessions_per_week = max(
        (phase["sessions_per_week"] for phase in version.draft.get("phases", [])), default=3
    )
    starts = week_starts(version.starts_on, on=today, last=SHOWN_WEEKS)
    since = min([*starts[:1], today - timedelta(weeks=QUIET_WEEKS)])
    newest_first = [F("done_on").desc(), F("id").desc()]
    day = {"partition_by": [F("done_on")]}
    rows = list(
        version.sessions.annotate(
            day_done=Window(Count("id"), **day),
            day_worst=Window(Max("pain"), **day),
            # The attention flag counts only ratings the specialist has not acknowledged yet.
            day_worst_open=Window(Max("pain", filter=Q(acknowledgement__isnull=True)), **day),
            # A warning sign the specialist has not acknowledged yet, on the day (1 or 0).
            day_flag_open=Window(
                Max(Case(When(red_flag=True, acknowledgement__isnull=True, then=1), default=0)),
                **day,
            ),
            day_rank=Window(RowNumber(), order_by=newest_first, **day),
            rank=Window(RowNumber(), order_by=newest_first),
        )
        .filter(Q(day_rank=1, done_on__gte=since, done_on__lte=today) | Q(rank__lte=NOTES_SHOWN))
        .order_by(*newest_first)
    )
    recent = [row for row in rows if row.rank <= NOTES_SHOWN]
    days = [row for row in rows if row.day_rank == 1 and since <= row.done_on <= today]
    daily = [(row.done_on, row.day_done, row.day_worst) for row in days]
    logged = [(row.done_on, row.day_worst_open) for row in days]
    if recent:
        logged.append((recent[0].done_on, None))  # the last session of all
    return Adherence(
        weeks=weeks(version.starts_on, sessions_per_week, daily, on=today, last=SHOWN_WEEKS),
        attention=needs_attention(
            version.published_at.date(),
            logged,
            on=today,
            flagged=[row.done_on for row in days if row.day_flag_open],
        ),
        recent_sessions=recent,
    )


def _latest_invitation(client: Client, versions: list[ProgramVersion]) -> Invitation | None:
    """The client's latest portal invitation, read from the versions' annotations.

    A client with no program yet has no versions to carry it: then it is read on its own.
    """
    if not versions:
        return client.invitations.first()
    first = versions[0]
    if first.invitation_pk is None:
        return None
    return Invitation(
        pk=first.invitation_pk,
        client=client,
        status=first.invitation_status,
        created_at=first.invitation_at,
    )


def client_history(client: Client) -> list[AuditRow]:
    """The audit history of the client's record, screenings, clearances and consents."""
    groups = [
        ("Client record", Client.history.filter(id=client.pk)),
        ("PAR-Q+ screening", Screening.history.filter(client_id=client.pk)),
        ("Clearance", Clearance.history.filter(client_id=client.pk)),
        ("Consent", Consent.history.filter(client_id=client.pk)),
    ]
    return audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])
