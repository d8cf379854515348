"""What the portal writes: a session the client logs against one of their plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from programs.adherence import session_alert
from programs.models import ProgramVersion, SessionLog
from reminders import tasks as reminders

SESSION_NOT_LOGGED = "The session was not logged: the form has errors."


def log_session(version: ProgramVersion, form) -> SessionLog:
    """Save the session that ``form`` (a bound SessionLogForm of ``version``) describes.

    Raises ValidationError (SESSION_NOT_LOGGED) when the form is not valid; its errors say why.
    """
    with transaction.atomic():
        # The plan's row is locked while the day's sessions are counted and the new one
        # saved, so two posts at once cannot both pass the daily limit.
        ProgramVersion.objects.select_for_update().values_list("pk", flat=True).get(pk=version.pk)
        valid = form.is_valid()
        if valid:
            session = form.save(commit=False)
            session.version = version
            session.save()
            if session_alert(session.pain, session.red_flag):
                # Enqueued in this transaction: the alert exists exactly when the session does.
                reminders.alert_specialist.enqueue(session.pk)
    # Raised once the lock is let go: nothing was written, nothing to roll back.
    if not valid:
        raise ValidationError(SESSION_NOT_LOGGED)
    return session
