"""The client-facing surface: the portal, plan downloads and share links. Read this first.

A client's account reaches these pages and nothing else (every specialist page needs a
practice membership). A share link is a bearer token: only its hash is stored, it
expires, and a revoked or expired link, or one whose client is archived, answers 410
with nothing about the client. A working link opens a small page (the practice, the
client's first name, the plan's date) whose button downloads the PDF.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from programs import sharing
from programs.adherence import pain_alert
from programs.client_plan import PAIN_ADVICE, ClientPlan, ExerciseCard, Step
from programs.client_plans import client_plan_for
from programs.downloads import pdf_response
from programs.forms import SessionLogForm
from programs.illustrations import build_scene, load_poses, render_svg
from programs.models import Download, ProgramVersion, SessionLog

from .access import own_published_versions, portal_client_required


@lru_cache(maxsize=1024)
def _figure_svg(pose_version: str, slug: str, title: str, prefix: str) -> str:
    return render_svg(build_scene(load_poses().get(slug), title=title), id_prefix=prefix)


def figure(card: ExerciseCard, prefix: str) -> str | None:
    """The card's illustration as inline SVG (its title and description are the text
    alternative), or None while the exercise has no pose. ``prefix`` keeps ids unique."""
    poses = load_poses()
    if card.illustration is None or card.illustration not in poses:
        return None
    svg = _figure_svg(poses.version, card.illustration, card.name, prefix)
    return mark_safe(svg)  # noqa: S308 - built by render_svg, every text escaped


def _routine(steps: tuple[Step, ...], prefix: str) -> list[tuple[Step, list]]:
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


def _pain_advice(request, plan_versions) -> dict | None:
    """The advice for a session just logged with high pain (its id in ``?logged=``)."""
    logged = request.GET.get("logged", "")
    if not logged.isdigit():
        return None
    session = SessionLog.objects.filter(
        pk=int(logged), version__in=[v.pk for v in plan_versions]
    ).first()
    if session is None or not pain_alert(session.pain):
        return None
    return {"pain": session.pain, "lines": PAIN_ADVICE}


@never_cache
@portal_client_required
def home(request, bound=None, bound_pk=None):
    versions = sorted(
        own_published_versions(request.user)
        .defer("pdf", "draft")  # the page shows neither; the download reads the PDF
        .select_related("program__client__practice", "published_by")
        .prefetch_related(
            Prefetch("sessions", SessionLog.objects.order_by("-done_on", "-id")[:5], "recent")
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
    context = {"versions": versions, "advice": _pain_advice(request, versions)}
    if versions:
        # The newest plan is the one to follow today: its session, in order.
        plan: ClientPlan = client_plan_for(versions[0])
        today = timezone.localdate()
        stage, steps = plan.session_on(today)
        context.update(
            plan=plan,
            week=plan.week_of(today),
            weeks=len(plan.checklist),
            stage=stage,
            routine=_routine(steps, "today"),
        )
    return render(request, "portal/home.html", context, status=400 if bound else 200)


@require_safe
@never_cache
@portal_client_required
def plan(request, pk):
    """The whole plan as accessible HTML: the same words as the PDF."""
    version = get_object_or_404(
        own_published_versions(request.user)
        .defer("pdf", "draft")
        .select_related("program__client__practice", "published_by", "created_by", "assessment"),
        pk=pk,
    )
    whole = client_plan_for(version)
    done: dict[int, int] = {}
    for day in version.sessions.values_list("done_on", flat=True):
        week = whole.week_of(day) if day >= whole.starts_on else None
        if week is not None:
            done[week] = done.get(week, 0) + 1
    stages = [(stage, _routine(stage.steps, f"plan-{stage.number}")) for stage in whole.stages]
    checklist = [(week, done.get(week.number, 0)) for week in whole.checklist]
    return render(
        request,
        "portal/plan.html",
        {"version": version, "plan": whole, "stages": stages, "checklist": checklist},
    )


@require_POST
@portal_client_required
def log_session(request, pk):
    version = get_object_or_404(own_published_versions(request.user), pk=pk)
    form = SessionLogForm(request.POST, prefix=f"v{version.pk}", version=version)
    with transaction.atomic():
        # The plan's row is locked while the day's sessions are counted and the new one
        # saved, so two posts at once cannot both pass the daily limit.
        ProgramVersion.objects.select_for_update().values_list("pk", flat=True).get(pk=pk)
        if form.is_valid():
            session = form.save(commit=False)
            session.version = version
            session.save()
    if form.errors:
        return home(request, bound=form, bound_pk=version.pk)
    if pain_alert(session.pain):
        # Not praise: the advice, at the top of the page (and the specialist's attention
        # list, which reads the same rating).
        return redirect(f"{reverse('portal:home')}?logged={session.pk}")
    messages.success(request, "Session logged. Well done!")
    return redirect("portal:home")


@require_safe
@portal_client_required
def download(request, pk):
    version = get_object_or_404(own_published_versions(request.user), pk=pk)
    sharing.record_download(request, version, channel=Download.Channel.PORTAL)
    return pdf_response(version, sharing.plan_pdf(version))


def _bearer_headers(response):
    """A share link's page or file: never cached, and the token in its address never sent on."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _open_link(request, token):
    """(link, None) when the link may hand out its plan now, else (None, the page saying no).

    Unknown: 404. Expired, revoked or its client archived: 410. Neither says anything about
    the client.
    """
    link = sharing.find_link(token)
    if link is not None and sharing.link_opens_plan(link, now=timezone.now()):
        return link, None
    response = render(
        request,
        "portal/link_gone.html",
        {"unknown": link is None},
        status=404 if link is None else 410,
    )
    return None, _bearer_headers(response)


@login_not_required
@require_safe
def shared_plan(request, token):
    """The page a share link opens: whose plan, from which practice, and a download button.

    Opening it records nothing (a mail scanner or a link preview opens links too); only the
    download does.
    """
    link, refused = _open_link(request, token)
    if refused:
        return refused
    version = link.version
    response = render(
        request,
        "portal/shared_plan.html",
        {
            "first_name": version.program.client.first_name,
            "practice": version.program.client.practice.name,
            "published_on": version.published_at,
            "token": token,
        },
    )
    return _bearer_headers(response)


@login_not_required
@require_safe
def shared_plan_download(request, token):
    """The plan PDF behind a share link; each GET is logged as a download (a HEAD is not)."""
    link, refused = _open_link(request, token)
    if refused:
        return refused
    sharing.record_download(request, link.version, channel=Download.Channel.LINK, link=link)
    return pdf_response(link.version, sharing.plan_pdf(link.version))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation link: the client chooses a password, once."""

    template_name = "portal/set_password.html"
    success_url = reverse_lazy("portal:password_set")
    reset_url_token = "choose-password"


class PasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_set.html"
