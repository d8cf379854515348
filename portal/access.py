"""The portal's own door: a client account reaches its own published plans and nothing else."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from programs.models import ProgramVersion


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
