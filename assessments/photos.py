"""Posture photos: store one, place its landmarks, read its angles, let its CVA fill the
tech-neck measure, remove it with its files. The writes behind the photo pages.

Files are written before their row and removed after the deleting transaction commits, so
a rolled-back upload leaves no row without a file and an erasure leaves no file behind.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import locking

from . import photo_angles, photo_intake
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


def cva_provenance(photo: PosturePhoto) -> str:
    """How the tech-neck CVA was taken when it came from this photo (shown beside it)."""
    return f"from the {photo.get_view_display().lower()} photo, landmarks placed by hand"


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
    return photo


def save_landmarks(photo: PosturePhoto, landmarks, *, by) -> dict:
    """Keep the landmarks the specialist placed (checked against the format) and return
    the angles they give. An invalid landmark raises ValidationError naming it."""
    try:
        parsed = photo_angles.parse(landmarks_document(photo, landmarks))
    except photo_angles.LandmarksError as error:
        raise ValidationError({"landmarks": str(error)}) from error
    photo.landmarks = {name: list(point) for name, point in parsed.points.items()}
    photo.landmarks_placed_by = by
    photo.landmarks_placed_at = timezone.now()
    photo.save(update_fields=["landmarks", "landmarks_placed_by", "landmarks_placed_at"])
    return angles_of(photo)


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
