"""Who may open the specialist pages: practice members reach them (403 otherwise), and
owner-only actions check the role."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied


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
