"""Who may open the specialist pages: practice members reach them (403 otherwise), and
owner-only actions check the role; the owner's doors to their practice's members and
invitations (403 for a non-owner, 404 outside the practice); a member's door to their own
API tokens (404 for anyone else's)."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from api.models import ApiToken
from clients.models import MemberInvitation, Membership


def specialist_required(view):
    """Only practice members (specialists and owners) reach the specialist pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_specialist:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_owner(user) -> None:
    """Owner-only actions inside the practice: a specialist gets 403."""
    if not user.is_practice_owner:
        raise PermissionDenied


def get_membership_for(user, pk: int) -> Membership:
    """A membership of the owner's own practice (403 for a non-owner, else 404)."""
    require_owner(user)
    return get_object_or_404(
        Membership.objects.select_related("user", "practice"), pk=pk, practice=user.practice
    )


def get_pending_invitation_for(user, pk: int) -> MemberInvitation:
    """An invitation of the owner's own practice not yet accepted (403 for a non-owner,
    else 404)."""
    require_owner(user)
    return get_object_or_404(
        MemberInvitation.objects.select_related("user", "practice", "invited_by"),
        pk=pk,
        practice=user.practice,
        accepted_at__isnull=True,
    )


def get_api_token_for(user, pk: int) -> ApiToken:
    """One of the user's own API tokens (404 for another user's)."""
    return get_object_or_404(ApiToken, pk=pk, user=user)
