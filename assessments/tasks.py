"""The assessments app's background work (Django's task framework, settings.TASKS)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from . import suggestions
from .models import PosturePhoto


@task
def suggest_landmarks(photo_id: int) -> int:
    """Run the pose model on posture photo ``photo_id`` (gone since: nothing to do)."""
    photo = PosturePhoto.objects.filter(pk=photo_id).first()
    return suggestions.suggest_for(photo) if photo is not None else 0


def request_suggestions(photo: PosturePhoto) -> bool:
    """Ask for the photo's suggestions once the current transaction commits; False when the
    pose model is not installed here."""
    if not suggestions.available():
        return False
    transaction.on_commit(lambda: suggest_landmarks.enqueue(photo.pk))
    return True
