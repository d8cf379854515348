"""Creates that happen once per form submission, however often the form is posted.

A response can be lost after the record was saved (a worker killed, a dropped
connection); the specialist then posts the same form again. Each create form carries a
one-time token (``stamp`` for crispy forms, ``{% submission_token %}`` for hand-written
ones); the first POST with it stores what it created, and a repeated POST is led to
that record instead of creating a second one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from crispy_forms.layout import Hidden
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from clients.models import Client, Submission

FIELD = "submission"
ALREADY_SAVED = "This form was already sent and saved: here is what it saved."
# Long enough for any resubmission after a lost response; a practical default.
KEEP_FOR = timedelta(days=7)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")

Created = TypeVar("Created", bound=models.Model)


def new_token() -> str:
    """A fresh token for one rendering of a create form."""
    return secrets.token_urlsafe(24)


def posted_token(request) -> str:
    """The token the POST carries, or "" when it has none (or not one of ours)."""
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN.fullmatch(token) else ""


def stamp(form, request):
    """Give a crispy form its hidden token: the posted one again when re-shown with errors."""
    form.helper.add_input(Hidden(FIELD, posted_token(request) or new_token()))
    return form


def earlier(request, model: type[Created]) -> Created | None:
    """The ``model`` record an earlier POST of this same form submission created, if any."""
    token = posted_token(request)
    if not token:
        return None
    done = Submission.objects.filter(
        user=request.user, token=token, content_type=ContentType.objects.get_for_model(model)
    ).first()
    if done is None:
        return None
    return model._default_manager.filter(pk=done.object_id).first()


def create_once(
    request, model: type[Created], create: Callable[[], Created], *, client: Client | None = None
) -> tuple[Created, bool]:
    """Run ``create`` once for this submission; return ``(record, True)``, or the record
    an earlier (or concurrent) POST of it created and ``False``.

    ``client`` is the client the record belongs to (omitted when the record is the client).
    """
    token = posted_token(request)
    if not token:
        return create(), True
    done = earlier(request, model)
    if done is not None:
        return done, False
    try:
        with transaction.atomic():
            record = create()
            Submission.objects.create(
                user=request.user,
                token=token,
                client=client if client is not None else record,
                content_type=ContentType.objects.get_for_model(model),
                object_id=record.pk,
            )
    except IntegrityError:
        # The same submission, posted twice at once: the other POST won, this one is undone.
        done = earlier(request, model)
        if done is None:
            raise
        return done, False
    Submission.objects.filter(user=request.user, created_at__lt=timezone.now() - KEEP_FOR).delete()
    return record, True


def tell_already_saved(request) -> None:
    """Say, on the page the repeated POST is led to, that nothing new was created."""
    messages.info(request, ALREADY_SAVED)
