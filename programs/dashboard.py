"""The specialist's dashboard: what needs doing today, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Exists, Func, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.models import Assessment
from clients.clearance import covering
from clients.models import Client
from core.access import specialist_required

from .adherence import PAIN_ATTENTION, QUIET_WEEKS, needs_attention, pain_alert
from .models import PainAcknowledgement, ProgramVersion, SessionLog

LIMIT = 25


# What the lists show: the PDF blob (tens of KB) and the engine's draft stay in the database.
SHOWN = ("number", "status", "retest_on", "published_at", "created_at", "assessment_id")
SHOWN_CLIENT = ("program__client__first_name", "program__client__last_name")


class Unindexed(Func):
    """The column; on SQLite ``+column``, which stops the planner driving the query by the
    column's indexes (SQLite's documented hint; the value is unchanged)."""

    template = "%(expressions)s"
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


# Above this many clients, an owner's lists walk the status indexes (an engineering choice
# from bench/EXPLAIN.md, section 7: either way the lists are the same, only faster).
WIDE_PRACTICE = 2000


def _wide(user) -> bool:
    """The user sees a practice too large to start from its clients. The practice's size
    is counted (up to WIDE_PRACTICE + 1) once per ten minutes per process."""
    if not user.is_practice_owner:
        return False
    key = f"realign:practice-size:{user.practice.pk}"
    size = cache.get(key)
    if size is None:
        size = Client.objects.filter(practice_id=user.practice.pk)[: WIDE_PRACTICE + 1].count()
        cache.set(key, size, 600)
    return size > WIDE_PRACTICE


def _versions(user, status: str):
    """Versions with ``status`` in the user's scope.

    The owner of a large practice sees all of it: the lists walk the status indexes in
    order and stop at LIMIT. A specialist sees their own clients, a few hundred at most,
    and a small practice's owner a few thousand: walking every plan of the database by
    status would read all of them (about 400 ms beside a 50,000-client chain), so the
    status is kept off the indexes and SQLite starts from the clients instead.
    """
    versions = ProgramVersion.objects.for_user(user)
    if _wide(user):
        return versions.filter(status=status)
    unindexed = Unindexed("status", output_field=CharField())
    return versions.alias(unindexed_status=unindexed).filter(unindexed_status=status)


def _current(user):
    """Each program's newest published version, for active clients in the user's scope."""
    newer = ProgramVersion.objects.filter(
        program=OuterRef("program"),
        status=ProgramVersion.Status.PUBLISHED,
        number__gt=OuterRef("number"),
    )
    return (
        _versions(user, ProgramVersion.Status.PUBLISHED)
        .filter(program__client__archived_at__isnull=True)
        .exclude(Exists(newer))
        .select_related("program__client")
        .only(*SHOWN, *SHOWN_CLIENT)
    )


def _midnight_after(day: date) -> datetime:
    """The start of the next local day: a bound the published_at index can use (a
    `__date` look-up computes the date of every row)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _attention(user, *, today):
    """Plans with unacknowledged pain of 5+ in the last two weeks first (worst first), then
    plans quiet for two weeks (the most recently published first: clients slipping away
    early in a plan), at most LIMIT.

    Two narrow queries instead of one that computes every plan's last session: the pain
    list starts from the few recent high ratings, the quiet list walks the publication
    index and stops at LIMIT.
    """
    quiet_since = today - timedelta(weeks=QUIET_WEEKS)
    sessions = SessionLog.objects.filter(version=OuterRef("pk")).order_by("-done_on")
    details = {
        "last_session": Subquery(sessions.values("done_on")[:1]),
        "recent_pain": Subquery(
            sessions.filter(
                done_on__gte=quiet_since, pain__isnull=False, acknowledgement__isnull=True
            )
            .order_by("-pain")
            .values("pain")[:1]
        ),
    }
    # An acknowledged rating has had the specialist's answer: it leaves the list.
    painful = SessionLog.objects.filter(
        pain__gte=PAIN_ATTENTION, done_on__gte=quiet_since, acknowledgement__isnull=True
    )
    in_pain = list(
        _current(user)
        .filter(pk__in=painful.values("version_id"))
        .annotate(**details)
        .order_by("-recent_pain", "last_session", "pk")[:LIMIT]
    )
    quiet = list(
        _current(user)
        .filter(published_at__lt=_midnight_after(quiet_since))
        .exclude(Exists(SessionLog.objects.filter(version=OuterRef("pk"), done_on__gt=quiet_since)))
        .annotate(**details)
        .order_by("-published_at", "-pk")[:LIMIT]
    )
    seen = {version.pk for version in in_pain}
    listed = (in_pain + [v for v in quiet if v.pk not in seen])[:LIMIT]
    for version in listed:
        logged = [(version.last_session, version.recent_pain)] if version.last_session else []
        version.reasons = needs_attention(version.published_at.date(), logged, on=today)
    return listed


class AcknowledgeForm(forms.Form):
    """The specialist's answer to a high pain rating, kept with the acknowledgement."""

    note = forms.CharField(
        label="What you did about it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write what you did about it (a call, advice, a referral): it is "
            "kept with the acknowledgement."
        },
    )


def _ack_form(version_pk: int, data=None) -> AcknowledgeForm:
    return AcknowledgeForm(data, prefix=f"ack{version_pk}")


@require_POST
@specialist_required
def acknowledge_pain(request, pk):
    """Acknowledge a plan's high pain ratings with a note: the client leaves the attention
    list until a new one is logged."""
    version = get_object_or_404(
        ProgramVersion.objects.for_user(request.user)
        .select_related("program__client")
        .defer("pdf", "draft"),
        pk=pk,
    )
    form = _ack_form(version.pk, request.POST)
    if not form.is_valid():
        return _page(request, bound=form, bound_pk=version.pk, status=400)
    with transaction.atomic():
        # Lock the session rows only: PostgreSQL refuses FOR UPDATE on the outer join that
        # "not acknowledged yet" needs.
        sessions = SessionLog.objects.select_for_update(of=("self",)).filter(
            version=version, pain__gte=PAIN_ATTENTION, acknowledgement__isnull=True
        )
        count = 0
        for session in sessions:
            PainAcknowledgement.objects.create(
                session=session, acknowledged_by=request.user, note=form.cleaned_data["note"]
            )
            count += 1
    name = version.program.client.full_name
    if count:
        messages.success(request, f"Pain rating of {name} acknowledged.")
    else:
        messages.info(request, f"Nothing was left to acknowledge for {name}.")
    return redirect("dashboard")


@specialist_required
def dashboard(request):
    return _page(request)


def _page(request, *, bound: AcknowledgeForm | None = None, bound_pk=None, status=200):
    today = timezone.localdate()
    current = _current(request.user)

    # Due: the re-test is within a week (or past) and nobody has assessed the client since
    # a week before it.
    assessed_since = Assessment.objects.filter(
        client=OuterRef("program__client"),
        assessed_on__gte=OuterRef("retest_on") - timedelta(days=7),
    )
    due = (
        current.filter(retest_on__lte=today + timedelta(days=7))
        .exclude(Exists(assessed_since))
        .order_by("retest_on", "pk")[:LIMIT]
    )
    attention = _attention(request.user, today=today)
    for version in attention:
        version.pain_alert = pain_alert(version.recent_pain)
        if version.pain_alert:
            version.ack_form = bound if version.pk == bound_pk else _ack_form(version.pk)

    cleared_after_assessment = covering(
        OuterRef("program__client"), OuterRef("assessment__assessed_on")
    )
    waiting_drafts = (
        _versions(request.user, ProgramVersion.Status.DRAFT)
        .filter(draft__referral__required=True)
        .exclude(Exists(cleared_after_assessment))
        .select_related("program__client", "assessment")
        .only(*SHOWN, *SHOWN_CLIENT, "assessment__assessed_on")
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    parq_waiting = (
        Client.objects.for_user(request.user)
        .active()
        .with_status()
        .filter(needs_clearance=True)
        .only("first_name", "last_name")
        .order_by("-last_activity_at", "-pk")[:LIMIT]
    )
    recent = current.filter(published_at__gte=_midnight_after(today - timedelta(days=15))).order_by(
        "-published_at", "-pk"
    )[:LIMIT]
    drafts = (
        _versions(request.user, ProgramVersion.Status.DRAFT)
        .select_related("program__client")
        .only(*SHOWN, *SHOWN_CLIENT)
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    return render(
        request,
        "programs/dashboard.html",
        {
            "today": today,
            "due": due,
            "attention": attention,
            "waiting_drafts": waiting_drafts,
            "parq_waiting": parq_waiting,
            "recent": recent,
            "drafts": drafts,
            "pain_attention": PAIN_ATTENTION,
        },
        status=status,
    )
