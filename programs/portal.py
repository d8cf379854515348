"""The client-facing surface: the portal, plan downloads and share links. Read this first.

A client's account reaches these pages and nothing else (every specialist page needs a
practice membership). A share link is a bearer token: only its hash is stored, it
expires, and a revoked or expired link answers 410 with nothing about the client.
"""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import sharing
from .forms import SessionLogForm
from .models import Download, ProgramVersion, SessionLog


def portal_client_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_portal_client:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def own_published_versions(user):
    """The one door for a client: their own published plans.

    "Published" is asked as "has a publication date" (the same by a check constraint):
    given the status, SQLite without statistics reads every published plan of every client
    through the dashboard's status index instead of this client's few through the joins.
    """
    return ProgramVersion.objects.filter(
        program__client__user=user,
        program__client__archived_at__isnull=True,
        published_at__isnull=False,
    )


def pdf_response(version: ProgramVersion, pdf: bytes) -> FileResponse:
    """A plan as a download: named for the client, never cached, never sniffed or referred."""
    response = FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=sharing.download_name(version),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
    return render(request, "portal/home.html", {"versions": versions}, status=400 if bound else 200)


@require_POST
@portal_client_required
def log_session(request, pk):
    version = get_object_or_404(own_published_versions(request.user), pk=pk)
    form = SessionLogForm(request.POST, prefix=f"v{version.pk}")
    if not form.is_valid():
        return home(request, bound=form, bound_pk=version.pk)
    session = form.save(commit=False)
    session.version = version
    session.save()
    messages.success(request, "Session logged. Well done!")
    return redirect("portal:home")


@require_safe
@portal_client_required
def download(request, pk):
    version = get_object_or_404(own_published_versions(request.user), pk=pk)
    sharing.record_download(version, channel=Download.Channel.PORTAL, user=request.user)
    return pdf_response(version, sharing.plan_pdf(version))


@login_not_required
@require_safe
def shared_plan(request, token):
    link = sharing.find_link(token)
    if link is None or not link.is_usable(timezone.now()) or not link.version.is_published:
        # Unknown: 404. Expired or revoked: 410. Neither says anything about the client.
        response = render(
            request,
            "portal/link_gone.html",
            {"unknown": link is None},
            status=404 if link is None else 410,
        )
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    sharing.record_download(link.version, channel=Download.Channel.LINK, link=link)
    return pdf_response(link.version, sharing.plan_pdf(link.version))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation link: the client chooses a password, once."""

    template_name = "portal/set_password.html"
    success_url = reverse_lazy("portal:password_set")
    reset_url_token = "choose-password"


class PasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_set.html"
