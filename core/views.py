"""The signed-in start page; the owner's practice page and its members (invite, send
again, change a role, deactivate); the invitee's page to choose a password. The writes
are in members.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from clients.models import MemberInvitation, Membership

from . import members
from .forms import DeactivateMemberForm, MemberInviteForm, MemberRoleForm, PracticeForm
from .access import require_owner, specialist_required

JOINED = "Welcome to {practice}: sign in with your email address and your new password."


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


def _owned_membership(request, pk) -> Membership:
    """A membership of the owner's own practice (403 for a non-owner, else 404)."""
    require_owner(request.user)
    return get_object_or_404(
        Membership.objects.select_related("user", "practice"),
        pk=pk,
        practice=request.user.practice,
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
        except members.MemberRefused as refused:
            form.add_error("email", str(refused))
        else:
            # The email has gone (or failed) by now: it leaves once the records are committed.
            invitation.refresh_from_db()
            _tell(request, invitation)
            return redirect("core:practice")
    return render(request, "form.html", {"form": form, "title": "Invite a specialist"})


@require_POST
@specialist_required
def member_invitation_send(request, pk):
    require_owner(request.user)
    invitation = get_object_or_404(
        MemberInvitation.objects.select_related("user", "practice", "invited_by"),
        pk=pk,
        practice=request.user.practice,
        accepted_at__isnull=True,
    )
    members.send_again(invitation, request)
    invitation.refresh_from_db()
    _tell(request, invitation)
    return redirect("core:practice")


def _tell(request, invitation: MemberInvitation) -> None:
    level, text = members.outcome(invitation)
    getattr(messages, level)(request, text)


@specialist_required
def member_role(request, pk):
    membership = _owned_membership(request, pk)
    form = MemberRoleForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            members.change_role(membership, form.cleaned_data["role"])
        except members.MemberRefused as refused:
            form.add_error("role", str(refused))
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
    membership = _owned_membership(request, pk)
    client_count = membership.user.clients.filter(practice=membership.practice).count()
    form = DeactivateMemberForm(
        request.POST or None, membership=membership, client_count=client_count
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = members.deactivate(
                membership, move_clients_to=form.cleaned_data["move_clients_to"], by=request.user
            )
        except members.MemberRefused as refused:
            form.add_error("move_clients_to" if client_count else None, str(refused))
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
