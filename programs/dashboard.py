"""The specialist's dashboard: what needs doing today, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, F, Max, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from clients.models import Clearance, Client
from clients.permissions import specialist_required

from .adherence import PAIN_ATTENTION, QUIET_WEEKS, needs_attention
from .models import ProgramVersion

LIMIT = 25


def _current_published(user):
    """Each program's newest published version, for clients in the user's scope."""
    newer = ProgramVersion.objects.filter(
        program=OuterRef("program"),
        status=ProgramVersion.Status.PUBLISHED,
        number__gt=OuterRef("number"),
    )
    return (
        ProgramVersion.objects.for_user(user)
        .filter(status=ProgramVersion.Status.PUBLISHED, program__client__archived_at__isnull=True)
        .exclude(Exists(newer))
        .select_related("program__client")
    )


@specialist_required
def dashboard(request):
    today = timezone.localdate()
    quiet_since = today - timedelta(weeks=QUIET_WEEKS)
    current = _current_published(request.user)

    due = (
        current.annotate(last_assessed=Max("program__client__assessments__assessed_on"))
        .filter(retest_on__lte=today + timedelta(days=7))
        .filter(
            Q(last_assessed__isnull=True) | Q(last_assessed__lt=F("retest_on") - timedelta(days=7))
        )
        .order_by("retest_on")[:LIMIT]
    )
    attention = list(
        current.annotate(
            last_session=Max("sessions__done_on"),
            recent_pain=Max("sessions__pain", filter=Q(sessions__done_on__gte=quiet_since)),
        )
        .filter(
            Q(recent_pain__gte=PAIN_ATTENTION)
            | Q(last_session__lte=quiet_since)
            | Q(last_session__isnull=True, published_at__date__lte=quiet_since)
        )
        .order_by("-recent_pain", "last_session")[:LIMIT]
    )
    for version in attention:
        logged = [(version.last_session, version.recent_pain)] if version.last_session else []
        version.reasons = needs_attention(version.published_at.date(), logged, on=today)

    cleared_after_assessment = Clearance.objects.filter(
        client=OuterRef("program__client"), cleared_on__gte=OuterRef("assessment__assessed_on")
    )
    waiting_drafts = (
        ProgramVersion.objects.for_user(request.user)
        .filter(status=ProgramVersion.Status.DRAFT, draft__referral__required=True)
        .exclude(Exists(cleared_after_assessment))
        .select_related("program__client", "assessment")
        .order_by("-created_at")[:LIMIT]
    )
    parq_waiting = (
        Client.objects.for_user(request.user)
        .active()
        .with_status()
        .filter(needs_clearance=True)
        .order_by("-last_activity_at")[:LIMIT]
    )
    recent = current.filter(published_at__date__gte=today - timedelta(days=14)).order_by(
        "-published_at"
    )[:LIMIT]
    drafts = (
        ProgramVersion.objects.for_user(request.user)
        .filter(status=ProgramVersion.Status.DRAFT)
        .select_related("program__client")
        .order_by("-created_at")[:LIMIT]
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
        },
    )
