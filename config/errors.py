"""Error pages that log denied access with the user id and path only (no names, no data)."""

import logging

from django.http import JsonResponse
from django.views import defaults

logger = logging.getLogger("realign.access")
API_PREFIX = "/api/"
NOT_FOUND = "No such address or record."


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else "anonymous"


def permission_denied(request, exception=None):
    logger.warning("access denied (403): user=%s path=%s", _user_id(request), request.path)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    # Objects outside the user's scope answer 404 on purpose: log those denials too.
    logger.warning(
        "not found or not in scope (404): user=%s path=%s", _user_id(request), request.path
    )
    if request.path.startswith(API_PREFIX):
        # A script that calls a wrong address reads why in JSON, as from any API view.
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return defaults.page_not_found(request, exception)
