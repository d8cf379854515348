"""The client page's programs and adherence, shown without the clients app importing programs."""

from datetime import date, timedelta

from django import template
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from programs.adherence import QUIET_WEEKS, needs_attention, week_starts, weeks
from programs.dose import dose_of
from programs.models import Invitation, ProgramVersion
from programs.why import short_why

register = template.Library()

SHOWN_WEEKS = 8  # the client page shows the plan's latest weeks
NOTES_SHOWN = 5  # and the latest sessions with their notes


@register.inclusion_tag("programs/_client_programs.html")
def client_programs(client):
    # The latest portal invitation rides on the versions query (a "not sent" one offers
    # "Send again"), so the page does not spend a query of its own on it.
    latest = Invitation.objects.filter(client_id=OuterRef("program__client_id")).order_by(
        "-created_at", "-id"
    )
    versions = list(
        ProgramVersion.objects.filter(program__client=client)
        .select_related("assessment")
        .defer("pdf")  # the frozen PDFs are read by the downloads only
        .annotate(
            invitation_pk=Subquery(latest.values("pk")[:1]),
            invitation_status=Subquery(latest.values("status")[:1]),
            invitation_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-program__created_at", "-number")
    )
    current = next((v for v in versions if v.is_published), None)
    adherence, attention, recent = [], [], []
    if current is not None:
        today = timezone.localdate()
        adherence, attention, recent = _adherence(current, today=today)
    return {
        "client": client,
        "invitation": _latest_invitation(client, versions),
        "versions": versions,
        "current": current,
        "adherence": adherence,
        "attention": attention,
        "recent_sessions": recent,
    }


def _latest_invitation(client, versions: list[ProgramVersion]) -> Invitation | None:
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


def _adherence(version: ProgramVersion, *, today: date):
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
            day_rank=Window(RowNumber(), order_by=newest_first, **day),
            rank=Window(RowNumber(), order_by=newest_first),
        )
        .filter(Q(day_rank=1, done_on__gte=since, done_on__lte=today) | Q(rank__lte=NOTES_SHOWN))
        .order_by(*newest_first)
    )
    recent = [row for row in rows if row.rank <= NOTES_SHOWN]
    days = [row for row in rows if row.day_rank == 1 and since <= row.done_on <= today]
    daily = [(row.done_on, row.day_done, row.day_worst) for row in days]
    shown = weeks(version.starts_on, sessions_per_week, daily, on=today, last=SHOWN_WEEKS)
    logged = [(row.done_on, row.day_worst_open) for row in days]
    if recent:
        logged.append((recent[0].done_on, None))  # the last session of all
    return shown, needs_attention(version.published_at.date(), logged, on=today), recent


@register.filter
def dose(item) -> str:
    """A program item's dose as every page and the plan PDF write it (programs.dose)."""
    return dose_of(item)


@register.filter
def why(item) -> str:
    """The exercise's reason in one short sentence (its rule ids go behind a disclosure)."""
    return short_why(item.why)
