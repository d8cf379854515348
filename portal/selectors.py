"""What the portal's pages read: the client's plans, today's session, the whole plan with its
figures, and the advice after a painful session. Reads only; records through the doors."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe

from programs.adherence import session_alert
from programs.client_plan import PAIN_ADVICE, ClientPlan, ExerciseCard, Step
from programs.client_plans import client_plan_for
from programs.forms import SessionLogForm
from programs.illustrations import load_poses, render_svg, scene_of
from programs.models import SessionLog

from .access import own_published_versions

RECENT_SESSIONS = 5  # the sessions a plan's card lists on the home page


@lru_cache(maxsize=1024)
def _figure_svg(pose_version: str, slug: str, title: str, prefix: str) -> str:
    return render_svg(replace(scene_of(slug), title=title), id_prefix=prefix)


def figure(card: ExerciseCard, prefix: str) -> str | None:
    """The card's illustration as inline SVG (its title and description are the text
    alternative), or None while the exercise has no pose. ``prefix`` keeps ids unique."""
    poses = load_poses()
    if card.illustration is None or card.illustration not in poses:
        return None
    svg = _figure_svg(poses.version, card.illustration, card.name, prefix)
    return mark_safe(svg)  # noqa: S308 - built by render_svg, every text escaped


def routine(steps: tuple[Step, ...], prefix: str) -> list[tuple[Step, list]]:
    """Each step with its cards, their figures and an id unique on the page."""
    return [
        (
            step,
            [
                (card, figure(card, f"{prefix}-{step.key}"), f"{prefix}-{step.key}-{index}")
                for index, card in enumerate(step.exercises, start=1)
            ],
        )
        for step in steps
    ]


def pain_advice(logged: str, versions) -> dict | None:
    """The advice for a session just logged with high pain (its id ``logged``, from
    ``?logged=``), when it is a session of one of ``versions``."""
    # A session id: ASCII digits of a sane length (int() refuses "²" and 5,000 digits).
    if not (logged.isascii() and logged.isdigit() and len(logged) <= 18):
        return None
    session = SessionLog.objects.filter(
        pk=int(logged), version__in=[v.pk for v in versions]
    ).first()
    if session is None or not session_alert(session.pain, session.red_flag):
        return None
    # A warning sign: urgent care comes first.
    lines = (PAIN_ADVICE[-1], *PAIN_ADVICE[:-1]) if session.red_flag else PAIN_ADVICE
    return {"pain": session.pain, "red_flag": session.red_flag, "lines": lines}


def home_page(user, *, logged: str = "", bound=None, bound_pk=None) -> dict:
    """The home page: every plan of the client, newest first, each with its session form and
    recent sessions, and the newest plan's session of today. ``bound``: the form of plan
    ``bound_pk`` that was just posted with errors, shown again as it was."""
    versions = sorted(
        own_published_versions(user)
        .defer("draft")  # the page does not show it
        .select_related("program__client__practice", "published_by")
        .prefetch_related(
            Prefetch(
                "sessions",
                SessionLog.objects.order_by("-done_on", "-id")[:RECENT_SESSIONS],
                "recent",
            )
        ),
        # Sorted here, not in SQL: an ORDER BY makes SQLite walk every published plan of
        # every client in the publication index instead of this client's few.
        key=lambda version: (version.published_at, version.pk),
        reverse=True,
    )
    for version in versions:
        version.log_form = (
            bound if version.pk == bound_pk else SessionLogForm(prefix=f"v{version.pk}")
        )
        version.recent_sessions = version.recent
    context = {"versions": versions, "advice": pain_advice(logged, versions)}
    if versions:
        # Today's session only: the before photo belongs to the whole plan's page.
        context.update(today(client_plan_for(versions[0], with_photo=False)))
    return context


def today(plan: ClientPlan) -> dict:
    """The newest plan is the one to follow today: its week, and its session in order."""
    day = timezone.localdate()
    stage, steps = plan.session_on(day)
    return {
        "plan": plan,
        "week": plan.week_of(day),
        "weeks": len(plan.checklist),
        "stage": stage,
        "routine": routine(steps, "today"),
    }


def plan_page(user, pk) -> dict:
    """The whole plan ``pk`` of the client as a page (404 when it is not theirs): its stages
    with their figures, and the checklist with the sessions logged in each week."""
    version = get_object_or_404(
        own_published_versions(user)
        .defer("draft")
        .select_related("program__client__practice", "published_by", "created_by", "assessment"),
        pk=pk,
    )
    whole = client_plan_for(version)
    done: dict[int, int] = {}
    for day in version.sessions.values_list("done_on", flat=True):
        week = whole.week_of(day) if day >= whole.starts_on else None
        if week is not None:
            done[week] = done.get(week, 0) + 1
    return {
        "version": version,
        "plan": whole,
        "stages": [(stage, routine(stage.steps, f"plan-{stage.number}")) for stage in whole.stages],
        "checklist": [(week, done.get(week.number, 0)) for week in whole.checklist],
    }


def shared_plan_page(link, token: str) -> dict:
    """What a share link's page says: whose plan, from which practice, of which day."""
    version = link.version
    return {
        "first_name": version.program.client.first_name,
        "practice": version.program.client.practice.name,
        "published_on": version.published_at,
        "token": token,
    }
