"""The signed-in start page; the owner's practice page and its members (invite, send
again, change a role, deactivate); the invitee's page to choose a password; the
two-factor pages (set up or replace, enter the code, turn off); the member's API tokens
(make one, shown once; revoke one). The writes are in members.py, two_factor.py and
services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from clients.models import MemberInvitation, Membership

from . import members, selectors, services, site, two_factor
from .access import (
    get_api_token_for,
    get_membership_for,
    get_pending_invitation_for,
    require_owner,
    specialist_required,
)
from .forms import (
    ApiTokenForm,
    DeactivateMemberForm,
    MemberInviteForm,
    MemberRoleForm,
    PracticeForm,
)

JOINED = "Welcome to {practice}: sign in with your email address and your new password."
PAIRED = "Two-factor sign-in is on for your account."
PAIRED_AGAIN = "Your new app is paired; the old one no longer works."
TWO_FACTOR_OFF = "Two-factor sign-in is off for your account."
TOKEN_REVOKED = "The token “{name}” is revoked: anything still using it is refused from now on."


def practice_page(request, *, form=None, invite_form=None):
    """The Practice page: its members, pending invitations, the invite form and settings."""
    practice = request.user.practice
    return render(
        request,
        "core/practice.html",
        {
            "practice": practice,
            "form": form or PracticeForm(instance=practice),
            "invite_form": invite_form or MemberInviteForm(practice=practice),
            "members": members.members(practice),
            "invitations": members.pending_invitations(practice),
            "roles": Membership.Role.choices,
            "invite_days": members.link_days(),
        },
    )


@specialist_required
def member_invite(request):
    require_owner(request.user)
    practice = request.user.practice
    form = MemberInviteForm(request.POST or None, practice=practice)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = members.invite_member(
                practice, **form.cleaned_data, by=request.user, request=request
            )
        except ValidationError as refused:
            form.add_error("email", refused)
        else:
            # The email has gone (or failed) by now: it leaves once the records are committed.
            invitation.refresh_from_db()
            _tell(request, invitation)
            return redirect("core:practice")
    return render(request, "form.html", {"form": form, "title": "Invite a specialist"})


@require_POST
@specialist_required
def member_invitation_send(request, pk):
    invitation = get_pending_invitation_for(request.user, pk)
    members.send_again(invitation, request)
    invitation.refresh_from_db()
    _tell(request, invitation)
    return redirect("core:practice")


def _tell(request, invitation: MemberInvitation) -> None:
    level, text = members.outcome(invitation)
    getattr(messages, level)(request, text)


@specialist_required
def member_role(request, pk):
    membership = get_membership_for(request.user, pk)
    form = MemberRoleForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            members.change_role(membership, form.cleaned_data["role"])
        except ValidationError as refused:
            form.add_error("role", refused)
        else:
            messages.success(
                request,
                f"{membership.user.display_name()} is now {membership.get_role_display().lower()}.",
            )
            return redirect("core:practice")
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Role of {membership.user.display_name()}"},
    )


@specialist_required
def member_deactivate(request, pk):
    membership = get_membership_for(request.user, pk)
    client_count = membership.user.clients.filter(practice=membership.practice).count()
    form = DeactivateMemberForm(
        request.POST or None, membership=membership, client_count=client_count
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = members.deactivate(
                membership, move_clients_to=form.cleaned_data["move_clients_to"], by=request.user
            )
        except ValidationError as refused:
            form.add_error("move_clients_to" if client_count else None, refused)
        else:
            text = f"{membership.user.display_name()} is deactivated and can no longer sign in."
            if moved:
                to = form.cleaned_data["move_clients_to"].display_name()
                text += f" {moved} client{'' if moved == 1 else 's'} moved to {to}."
            messages.success(request, text)
            return redirect("core:practice")
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Deactivate {membership.user.display_name()}"},
    )


class MemberWelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation link: the invitee chooses a password, once, and joins the practice."""

    template_name = "core/member_welcome.html"
    success_url = reverse_lazy("login")
    reset_url_token = "choose-password"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            membership = members.join(form.user)
        if membership is not None:
            messages.success(self.request, JOINED.format(practice=membership.practice.name))
        return response


def home(request):
    """Send each kind of user to their starting page."""
    if request.user.is_specialist:
        return redirect("dashboard")
    if request.user.is_portal_client:
        return redirect("portal:home")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "clients/no_practice.html")


@specialist_required
def practice_edit(request):
    require_owner(request.user)
    practice = request.user.practice
    form = PracticeForm(request.POST or None, request.FILES or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Practice saved.")
        return redirect("core:practice")
    return practice_page(request, form=form)


@specialist_required
def two_factor_setup(request):
    """Pair an authenticator app: scan the code (or type the key), then confirm one code.

    With a device already, the page shows its status; replacing it needs a verified session
    and the password again. A GET changes nothing but the key waiting in the session.
    """
    device = two_factor.confirmed_device(request.user)
    if device is not None and not request.user.is_verified():
        # The middleware does too; this view never relies on it.
        return two_factor.to_code_step(request)
    replacing = device is not None
    if replacing and request.method != "POST" and "replace" not in request.GET:
        return _two_factor_status(request, device)
    key = two_factor.setup_key(request.session)
    data = request.POST if request.method == "POST" else None
    if replacing:
        form = two_factor.ReplaceForm(data, key=key, request=request)
    else:
        form = two_factor.PairForm(data, key=key)
    if form.is_valid():
        device = two_factor.pair(request.user, key, replacing=replacing)
        del request.session[two_factor.SETUP_KEY]
        otp_login(request, device)
        messages.success(request, PAIRED_AGAIN if replacing else PAIRED)
        return redirect("home")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "replacing": replacing,
            "required": two_factor.required_for(request.user),
            **two_factor.pairing_codes(request.user, key),
        },
    )


def _two_factor_status(request, device, disable_form=None):
    required = two_factor.required_for(request.user)
    if disable_form is None and not required:
        disable_form = two_factor.PasswordAgainForm(request=request)
    return render(
        request,
        "registration/two_factor_status.html",
        {
            "device": device,
            "required_note": required and two_factor.REQUIRED_BY_PRACTICE,
            "disable_form": disable_form,
        },
    )


def two_factor_verify(request):
    """The second step of signing in."""
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("home")
    form = two_factor.CodeForm(request.POST or None)
    next_url = two_factor.safe_next(request)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", two_factor.WRONG_CODE)
    return render(request, "registration/two_factor_verify.html", {"form": form})


@require_POST
def two_factor_disable(request):
    """Turn two-factor sign-in off: a verified session, the password again, and an email."""
    device = two_factor.confirmed_device(request.user)
    if device is None:
        messages.info(request, TWO_FACTOR_OFF)
        return redirect("home")
    if not request.user.is_verified():
        # The middleware does too; this view never relies on it.
        return two_factor.to_code_step(request)
    if two_factor.required_for(request.user):
        messages.error(request, two_factor.REQUIRED_BY_PRACTICE)
        return redirect("core:two_factor_setup")
    form = two_factor.PasswordAgainForm(request.POST, request=request)
    if not form.is_valid():
        return _two_factor_status(request, device, disable_form=form)
    two_factor.turn_off(request.user)
    request.session.pop(two_factor.SETUP_KEY, None)
    messages.success(request, TWO_FACTOR_OFF)
    return redirect("home")


@specialist_required
def api_tokens(request):
    """The member's API tokens and the form to make one. A new token is shown on the
    response to its POST, once: only its hash is stored, so no later page can show it."""
    if two_factor.confirmed_device(request.user) and not request.user.is_verified():
        # The middleware does too; this view never relies on it.
        return two_factor.to_code_step(request)
    if request.method != "POST":
        return _api_tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            row, token = services.create_api_token(request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            return _api_tokens_page(request, ApiTokenForm(), created=row, token=token)
    return _api_tokens_page(request, form, status=400)


def _api_tokens_page(request, form, *, created=None, token=None, status=200):
    page = selectors.api_tokens_page(request.user)
    api_url = site.absolute_url(request, reverse("api:client-list"))
    page |= {"form": form, "created": created, "token": token, "api_url": api_url}
    return render(request, "core/api_tokens.html", page, status=status)


@require_POST
@specialist_required
def api_token_revoke(request, pk):
    row = get_api_token_for(request.user, pk)
    services.revoke_api_token(row)
    messages.success(request, TOKEN_REVOKED.format(name=row.name))
    return redirect("core:api_tokens")
