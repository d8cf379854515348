"""Posture photos: store one, place its landmarks, read its angles, let its CVA fill the
tech-neck measure, remove it with its files. The writes behind the photo pages.

Files are written before their row and removed after the deleting transaction commits, so
a rolled-back upload leaves no row without a file and an erasure leaves no file behind.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import locking

from . import photo_angles, photo_intake, tasks
from .measures import MEASURES, range_error
from .models import Assessment, PosturePhoto, TechNeck

NO_CVA_YET = "Place the tragus and C7 on this side photo first: the CVA needs both."
SAVED_AT_ONCE = (
    "Another photo for this view was saved at the same moment: reload the page to see it, "
    "then upload again if this one should replace it."
)
NOT_A_SIDE_PHOTO = "Only a side photo gives a craniovertebral angle."
CVA_IMPLAUSIBLE = (
    "The CVA from this photo is {value:g}°, outside the {low:g} to {high:g} degrees the "
    "tech-neck measure takes: check where the tragus and C7 are placed."
)


# A saved landmark's source (PosturePhoto.landmark_sources); one of a model's points within
# this distance of its suggestion was kept as suggested (the tool rounds to 0.1 px).
SUGGESTED, MOVED, BY_HAND = "suggested", "moved", "hand"
KEPT_PX = 0.5


def sources_of(photo: PosturePhoto, landmarks: dict) -> dict[str, str]:
    """Where each of ``landmarks`` comes from: a point saved before and unchanged keeps its
    source; else a point on the model's suggestion is suggested, one off it moved, and one
    the model did not suggest placed by hand."""
    suggested = (photo.suggestions or {}).get("landmarks", {})
    sources = {}
    for name, point in landmarks.items():
        before = photo.landmarks.get(name)
        if before is not None and math.dist(before, point) <= KEPT_PX:
            sources[name] = photo.landmark_sources.get(name, BY_HAND)
        elif name in suggested:
            kept = math.dist(suggested[name], point) <= KEPT_PX
            sources[name] = SUGGESTED if kept else MOVED
        else:
            sources[name] = BY_HAND
    return sources


def placed_how(photo: PosturePhoto, names) -> str:
    """How the landmarks ``names`` were placed, in words: "placed by hand" or "suggested,
    checked by hand" (the pose model's points, kept or moved by the specialist)."""
    if any(photo.landmark_sources.get(name, BY_HAND) != BY_HAND for name in names):
        return "suggested, checked by hand"
    return "placed by hand"


def cva_provenance(photo: PosturePhoto) -> str:
    """How the tech-neck CVA was taken when it came from this photo (shown beside it)."""
    how = placed_how(photo, ("tragus", "c7"))
    return f"from the {photo.get_view_display().lower()} photo, landmarks {how}"


def landmarks_document(photo: PosturePhoto, landmarks: dict | None = None) -> dict:
    """The photo's landmarks in the format of shared/design/photo-landmarks.md."""
    document = {
        "view": photo.contract_view,
        "image": {"width": photo.width, "height": photo.height},
        "landmarks": photo.landmarks if landmarks is None else landmarks,
    }
    if photo.facing:
        document["facing"] = photo.facing
    return document


def angles_of(photo: PosturePhoto) -> dict:
    """The photo's angles as the contract's output (the same function as `photo_angles`)."""
    return photo_angles.photo_angles(landmarks_document(photo))


def add_photo(assessment: Assessment, *, view: str, upload, by) -> PosturePhoto:
    """Store ``upload`` (upright, metadata dropped, bounded) as the assessment's photo for
    ``view``; one already there is replaced. A refused file raises ValidationError."""
    try:
        stored = photo_intake.stored_photo(upload, upload.size)
    except photo_intake.PhotoRefused as refused:
        raise ValidationError({"image": str(refused)}) from refused
    photo = PosturePhoto(
        assessment=assessment,
        view=view,
        width=stored.width,
        height=stored.height,
        uploaded_by=by,
    )
    photo.image.save("photo.jpg", ContentFile(stored.data), save=False)
    photo.thumbnail.save("thumbnail.jpg", ContentFile(stored.thumbnail), save=False)
    try:
        with transaction.atomic():
            # Two uploads for one view at once: the row lock makes the second wait (on
            # PostgreSQL) and the unique constraint turns any race left into a message.
            Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
            for old in PosturePhoto.objects.filter(assessment=assessment, view=view):
                old.delete()  # its files go after commit (remove_files_after_commit)
            photo.save()
    except IntegrityError as clash:
        _remove_files([photo.image.name, photo.thumbnail.name])
        raise ValidationError({"image": SAVED_AT_ONCE}) from clash
    except BaseException:
        _remove_files([photo.image.name, photo.thumbnail.name])
        raise
    tasks.request_suggestions(photo)
    return photo


def save_landmarks(photo: PosturePhoto, landmarks, *, by) -> dict:
    """Keep the landmarks the specialist placed (checked against the format) and return
    the angles they give. An invalid landmark raises ValidationError naming it."""
    try:
        parsed = photo_angles.parse(landmarks_document(photo, landmarks))
    except photo_angles.LandmarksError as error:
        raise ValidationError({"landmarks": str(error)}) from error
    landmarks = {name: list(point) for name, point in parsed.points.items()}
    photo.landmark_sources = sources_of(photo, landmarks)
    photo.landmarks = landmarks
    photo.landmarks_placed_by = by
    photo.landmarks_placed_at = timezone.now()
    photo.save(
        update_fields=[
            "landmarks",
            "landmark_sources",
            "landmarks_placed_by",
            "landmarks_placed_at",
        ]
    )
    return angles_of(photo)


SUGGESTIONS_OFF = (
    "Landmark suggestions are not installed on this server "
    "(python manage.py fetch_pose_model): place the landmarks by hand."
)
SUGGESTIONS_READY = (
    "The pose model suggested {count} landmarks, drawn with a dashed ring: drag any that are "
    "off, place the others, then save to confirm them."
)
SUGGESTIONS_NONE = (
    "The pose model found nothing it could suggest here: place the landmarks by hand."
)
SUGGESTIONS_ON_THEIR_WAY = (
    "The pose model is looking at the photo: its suggestions appear here in a few seconds."
)


def ask_for_suggestions(photo: PosturePhoto) -> str:
    """Ask the pose model to look at the photo (again); what to tell the specialist.
    Raises ValidationError when the model is not installed."""
    asked_at = timezone.now()
    if not tasks.request_suggestions(photo):
        raise ValidationError(SUGGESTIONS_OFF)
    photo.refresh_from_db(fields=["suggestions", "suggested_at"])
    if photo.suggested_at is None or photo.suggested_at < asked_at:
        return SUGGESTIONS_ON_THEIR_WAY  # a worker will do it
    count = len(photo.suggestions.get("landmarks", {}))
    return SUGGESTIONS_READY.format(count=count) if count else SUGGESTIONS_NONE


def use_photo_cva(photo: PosturePhoto, *, expected: int | None) -> float:
    """Fill the assessment's tech-neck CVA from this side photo, with its provenance, at
    the assessment's version ``expected`` (raises locking.Conflict when stale)."""
    if photo.contract_view != "side":
        raise ValidationError(NOT_A_SIDE_PHOTO)
    cva = next((a for a in angles_of(photo)["angles"] if a["code"] == "cva"), None)
    if cva is None:
        raise ValidationError(NO_CVA_YET)
    # The same plausible range as a typed value, so the section's form never holds a value
    # it would refuse on its next save.
    if range_error("cva_deg", cva["value_deg"]):
        spec = MEASURES["cva_deg"]
        raise ValidationError(
            CVA_IMPLAUSIBLE.format(value=cva["value_deg"], low=spec.minimum, high=spec.maximum)
        )
    with locking.claimed(Assessment, photo.assessment_id, expected):
        section, _ = TechNeck.objects.get_or_create(assessment_id=photo.assessment_id)
        section.cva_deg = cva["value_deg"]
        section.cva_provenance = cva_provenance(photo)
        section.save()
        # As a section's save does: the assessment and the client show the change.
        Assessment.objects.filter(pk=photo.assessment_id).update(updated_at=timezone.now())
        photo.assessment.client.touch()
    return cva["value_deg"]


def delete_photo(photo: PosturePhoto) -> None:
    """Delete the photo; its files go once the deletion is committed. A tech-neck CVA it
    gave stays, as a number typed from it would (its provenance still names the photo)."""
    with transaction.atomic():
        photo.delete()


def remove_files_after_commit(sender, instance: PosturePhoto, **kwargs) -> None:
    """post_delete: a photo's files go once the deletion is committed (erasure included)."""
    names = [instance.image.name, instance.thumbnail.name]
    transaction.on_commit(lambda: _remove_files(names))


def _remove_files(names: list[str]) -> None:
    storage = PosturePhoto._meta.get_field("image").storage
    for name in names:
        if name:
            storage.delete(name)
