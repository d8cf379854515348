"""The client-facing surface: the portal, plan downloads and share links. Read this first.

The portal is the client's own part of Realign. A client's account (``is_portal_client``)
reaches these pages and nothing else (every specialist page needs a practice membership):
the welcome page of an invitation, where the client chooses a password; "My plans", with
today's session and a form to log it; each plan as an accessible web page (the same words
as the PDF); and the plan's PDF. Records are reached only through ``portal.access``.

A share link is a bearer token: only its hash is stored, it expires, and a revoked or
expired link, or one whose client is archived, answers 410 with nothing about the client. A
working link opens a small page (the practice, the client's first name, the plan's date)
whose button downloads the PDF.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import sharing
from programs.adherence import session_alert
from programs.downloads import pdf_response
from programs.forms import SessionLogForm
from programs.models import Download
from reminders import forms as reminder_forms
from reminders import selectors as reminder_selectors
from reminders import services as reminder_services

from . import selectors, services
from .access import get_own_client, get_own_version, open_link, portal_client_required


@never_cache
@portal_client_required
def home(request, bound=None, bound_pk=None):
    """My plans; ``bound``: the session form of plan ``bound_pk`` posted with errors (400)."""
    context = selectors.home_page(
        request.user, logged=request.GET.get("logged", ""), bound=bound, bound_pk=bound_pk
    )
    return render(request, "portal/home.html", context, status=400 if bound else 200)


@require_safe
@never_cache
@portal_client_required
def plan(request, pk):
    """The whole plan as accessible HTML: the same words as the PDF."""
    return render(request, "portal/plan.html", selectors.plan_page(request.user, pk))


@require_POST
@portal_client_required
def log_session(request, pk):
    version = get_own_version(request.user, pk)
    form = SessionLogForm(request.POST, prefix=f"v{version.pk}", version=version)
    try:
        session = services.log_session(version, form)
    except ValidationError:
        return home(request, bound=form, bound_pk=version.pk)
    if session_alert(session.pain, session.red_flag):
        # Not praise: the advice, at the top of the page (and the specialist's attention
        # list, which reads the same rating).
        return redirect(f"{reverse('portal:home')}?logged={session.pk}")
    messages.success(request, "Session logged. Well done!")
    return redirect("portal:home")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@portal_client_required
def reminders(request):
    """The client's reminders by email: on or off, their exercise days, a pause."""
    client = get_own_client(request.user)
    saved = reminder_selectors.settings_of(client)
    posted = request.POST if request.method == "POST" else None
    form = reminder_forms.ReminderSettingsForm(posted, initial=reminder_forms.initial_for(saved))
    if request.method == "POST":
        try:
            saved = reminder_services.save_settings(client, form)
        except ValidationError:
            context = {"form": form, "saved": saved}
            return render(request, "portal/reminders.html", context, status=400)
        messages.success(request, "Your reminder settings are saved.")
        return redirect("portal:reminders")
    return render(request, "portal/reminders.html", {"form": form, "saved": saved})


@require_safe
@portal_client_required
def download(request, pk):
    version = get_own_version(request.user, pk)
    sharing.record_download(request, version, channel=Download.Channel.PORTAL)
    return pdf_response(version, sharing.plan_pdf(version))


def _bearer_headers(response):
    """A share link's page or file: never cached, and the token in its address never sent on."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _link_gone(request, status: int):
    """The page of a link that hands out nothing: unknown (404) or no longer open (410)."""
    response = render(request, "portal/link_gone.html", {"unknown": status == 404}, status=status)
    return _bearer_headers(response)


@login_not_required
@require_safe
def shared_plan(request, token):
    """The page a share link opens: whose plan, from which practice, and a download button.

    Opening it records nothing (a mail scanner or a link preview opens links too); only the
    download does.
    """
    link, refused = open_link(token)
    if refused:
        return _link_gone(request, refused)
    context = selectors.shared_plan_page(link, token)
    return _bearer_headers(render(request, "portal/shared_plan.html", context))


@login_not_required
@require_safe
def shared_plan_download(request, token):
    """The plan PDF behind a share link; each GET is logged as a download (a HEAD is not)."""
    link, refused = open_link(token)
    if refused:
        return _link_gone(request, refused)
    sharing.record_download(request, link.version, channel=Download.Channel.LINK, link=link)
    return pdf_response(link.version, sharing.plan_pdf(link.version))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation link: the client chooses a password, once."""

    template_name = "portal/set_password.html"
    success_url = reverse_lazy("portal:password_set")
    reset_url_token = "choose-password"


class PasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_set.html"
