"""The portal's own door: a client account reaches its own published plans and nothing else,
and a share link's bearer reaches the one plan of a link that still opens."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Client
from programs import sharing
from programs.models import ProgramVersion, ShareLink


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


def get_own_client(user) -> Client:
    """The signed-in client's own record (its reminder settings, say); 404 once archived,
    as their plans are."""
    return get_object_or_404(
        Client.objects.select_related("practice"), user=user, archived_at__isnull=True
    )


def get_own_version(user, pk) -> ProgramVersion:
    """The client's own published plan ``pk``; 404 for any other (it is not theirs to know of)."""
    return get_object_or_404(own_published_versions(user), pk=pk)


def open_link(token: str) -> tuple[ShareLink | None, int | None]:
    """(the link, None) when a share link may hand out its plan now, else (None, the status
    that says no): 404 for an unknown token; 410 for a link expired, revoked, or whose client
    is archived. Neither says anything about the client."""
    link = sharing.find_link(token)
    if link is None:
        return None, 404
    if not sharing.link_opens_plan(link, now=timezone.now()):
        return None, 410
    return link, None
