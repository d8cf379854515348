"""The one door to client records: scope decides 404, role decides 403."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Client


def specialist_required(view):
    """Only practice members (specialists and owners) reach the specialist pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_specialist:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_client_for(user, pk: int) -> Client:
    """The client if it is in the user's scope (with screening status), else 404."""
    return get_object_or_404(
        Client.objects.for_user(user).with_status().select_related("specialist", "practice"),
        pk=pk,
    )


def require_owner(user) -> None:
    """Owner-only actions inside the practice: a specialist gets 403."""
    if not user.is_practice_owner:
        raise PermissionDenied
