"""Landmark suggestions for a stored posture photo: run the pose model, keep what it proposes.

The model runs on the server, in a task (assessments/tasks.py) enqueued when a photo is
saved or when the specialist asks; its points stay suggestions until the specialist saves
the landmarks (photos.save_landmarks records which were kept, moved or placed by hand).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image

from . import pose_model
from .models import PosturePhoto

log = logging.getLogger(__name__)


def model_path() -> Path:
    return Path(settings.POSE_MODEL_DIR) / pose_model.MODEL_FILE


def available() -> bool:
    """Whether the pose model is installed here (`manage.py fetch_pose_model`)."""
    return model_path().is_file()


def suggest_for(photo: PosturePhoto) -> int:
    """Run the pose model on the photo and keep its suggestions; the number of landmarks
    suggested. A photo whose file is gone, or a model that fails, suggests nothing."""
    if not available():
        return 0
    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.load()
            keypoints = pose_model.load(model_path()).keypoints(image)
    except (OSError, ValueError, RuntimeError):
        log.exception("Landmark suggestions failed for posture photo %s", photo.pk)
        return 0
    found = pose_model.suggest(keypoints, view=photo.view, width=photo.width, height=photo.height)
    photo.suggestions = found.as_dict()
    photo.suggested_at = timezone.now()
    photo.suggestion_model = pose_model.MODEL_NAME
    try:
        with transaction.atomic():
            photo.save(update_fields=["suggestions", "suggested_at", "suggestion_model"])
    except PosturePhoto.NotUpdated:  # deleted while the model looked: nothing to suggest for
        log.info("Posture photo %s was deleted before its suggestions were kept", photo.pk)
        return 0
    return len(found.landmarks)


# A worker picks a new task up within seconds: after this, a photo with no suggestions
# is not waiting for any (the specialist can ask again).
ON_THEIR_WAY_FOR = timedelta(minutes=2)


def on_their_way(photo: PosturePhoto) -> bool:
    """Whether the photo's first suggestions are still being made (just uploaded)."""
    recent = photo.created_at and timezone.now() - photo.created_at < ON_THEIR_WAY_FOR
    return available() and photo.suggested_at is None and bool(recent)


def pending(photo: PosturePhoto) -> dict[str, list[float]]:
    """The suggested landmarks the tool should put down for checking: those not saved yet,
    when the suggestions are newer than the last save."""
    if photo.suggested_at is None:
        return {}
    if photo.landmarks_placed_at and photo.landmarks_placed_at > photo.suggested_at:
        return {}
    suggested = (photo.suggestions or {}).get("landmarks", {})
    return {name: point for name, point in suggested.items() if name not in photo.landmarks}
