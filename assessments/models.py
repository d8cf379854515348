"""Assessments: a dated, signed session record with optional sections, each saved on its own.

Field names follow the case format (shared/design/case-format.md) so that a saved
assessment maps to the engine's input without translation. Empty means "not measured".
"""

from __future__ import annotations

from uuid import uuid4

from django.core.files.storage import storages
from django.db import models
from simple_history.models import HistoricalRecords

from clients.models import Client, ScopedQuerySet, User

from .findings import BODY_REGIONS

BODY_REGION_CHOICES = [(key, label) for key, (label, _) in BODY_REGIONS.items()]


class AssessmentQuerySet(ScopedQuerySet):
    """Assessments of the clients the user may see (`for_user`, the clients' one door)."""


class Assessment(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assessments")
    specialist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)  # optimistic locking for edits

    # updated_at and lock_version move with every section save; the sections have history.
    history = HistoricalRecords(excluded_fields=["updated_at", "lock_version"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["client", "-assessed_on"])]

    def __str__(self) -> str:
        return f"Assessment of {self.assessed_on}"


class Section(models.Model):
    """One optional part of an assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} (assessment {self.assessment_id})"


def _part_of(related_name: str) -> models.OneToOneField:
    """A section's link to its assessment, read back as ``assessment.<related_name>``."""
    return models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name=related_name)


class StaticPosture(Section):
    assessment = _part_of("static_posture")
    # [{"code": "rounded_shoulders", "side": "both"}, ...] (assessments.posture vocabulary)
    observations = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()


class TechNeck(Section):
    assessment = _part_of("tech_neck")
    cva_deg = models.FloatField("Craniovertebral angle", null=True, blank=True)
    # Where the CVA came from when not typed: "from the left side photo, landmarks placed
    # by hand". Typing a value clears it (the form), so it never describes another number.
    cva_provenance = models.CharField(max_length=160, blank=True, editable=False)
    wall_distance_cm = models.FloatField("Tragus-to-wall distance", null=True, blank=True)
    screen_hours_per_day = models.FloatField(
        "Daily hours on phone or computer", null=True, blank=True
    )
    history = HistoricalRecords()


class PelvicTilt(Section):
    assessment = _part_of("pelvic_tilt")
    pelvic_tilt_left_deg = models.FloatField("Left side", null=True, blank=True)
    pelvic_tilt_right_deg = models.FloatField("Right side", null=True, blank=True)
    history = HistoricalRecords()


class OverheadSquat(Section):
    assessment = _part_of("overhead_squat")
    # [{"code": "knees_in", "view": "anterior", "side": "left"}, ...]
    observations = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()


class Gait(Section):
    assessment = _part_of("gait")
    deviations = models.JSONField(default=list, blank=True)  # gait deviation codes
    notes = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()


class SeniorTests(Section):
    assessment = _part_of("senior_tests")
    chair_stand_30s = models.PositiveSmallIntegerField(
        "30-second chair stand", null=True, blank=True
    )
    arm_curl_30s = models.PositiveSmallIntegerField("30-second arm curl", null=True, blank=True)
    two_min_step = models.PositiveSmallIntegerField("2-minute step", null=True, blank=True)
    chair_sit_reach_cm = models.FloatField("Chair sit-and-reach", null=True, blank=True)
    back_scratch_cm = models.FloatField("Back scratch", null=True, blank=True)
    up_and_go_8ft_s = models.FloatField("8-foot up-and-go", null=True, blank=True)
    six_min_walk_m = models.FloatField("6-minute walk", null=True, blank=True)
    tug_s = models.FloatField("Timed Up and Go", null=True, blank=True)
    tandem_stance_s = models.FloatField("Tandem stance (4-stage balance)", null=True, blank=True)
    history = HistoricalRecords()


class Postpartum(Section):
    assessment = _part_of("postpartum")
    ird_above_umbilicus_cm = models.FloatField("Above the umbilicus", null=True, blank=True)
    ird_umbilicus_cm = models.FloatField("At the umbilicus", null=True, blank=True)
    ird_below_umbilicus_cm = models.FloatField("Below the umbilicus", null=True, blank=True)
    doming = models.BooleanField("Doming or coning", null=True, blank=True)
    leakage = models.BooleanField("Leakage (urine, wind or faeces)", null=True, blank=True)
    heaviness = models.BooleanField("Heaviness, dragging or bulge", null=True, blank=True)
    pelvic_pain = models.BooleanField("Pelvic girdle, perineal or scar pain", null=True, blank=True)
    history = HistoricalRecords()


class Youth(Section):
    assessment = _part_of("youth")
    height_cm = models.FloatField("Standing height", null=True, blank=True)
    sitting_height_cm = models.FloatField("Sitting height", null=True, blank=True)
    weight_kg = models.FloatField("Weight", null=True, blank=True)
    growth_pain = models.JSONField(default=list, blank=True)  # BODY_REGIONS ids, e.g. "knee"
    history = HistoricalRecords()


class PainReport(models.Model):
    """Pain during a test: where, how much (0-10) and during what."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="pain_reports"
    )
    region = models.CharField(max_length=40, choices=BODY_REGION_CHOICES)
    score = models.PositiveSmallIntegerField()
    during = models.CharField("During which test", max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Pain {self.score}/10 ({self.region})"


def photo_storage():
    """STORAGES["photos"] (config/settings.py); a callable keeps the storage out of migrations."""
    return storages["photos"]


def photo_file_name(instance, filename: str) -> str:
    """A random name: nothing of the client or the upload's own name reaches the disk."""
    return f"{uuid4().hex}.jpg"


class PosturePhotoQuerySet(ScopedQuerySet):
    client_path = "assessment__client__"


class PosturePhoto(models.Model):
    """One posture photo of an assessment (at most one per view), stored without metadata,
    with the landmarks the specialist placed on it (image pixels, top-left origin)."""

    class View(models.TextChoices):
        LEFT = "left", "Left side"
        RIGHT = "right", "Right side"
        FRONT = "front", "Front"
        BACK = "back", "Back"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="photos")
    view = models.CharField(max_length=5, choices=View.choices)
    image = models.FileField(storage=photo_storage, upload_to=photo_file_name, max_length=80)
    thumbnail = models.FileField(storage=photo_storage, upload_to=photo_file_name, max_length=80)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # {"tragus": [x, y], ...}: the names of shared/design/photo-landmarks.md for the view.
    landmarks = models.JSONField(default=dict, blank=True)
    landmarks_placed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    landmarks_placed_at = models.DateTimeField(null=True, blank=True)
    # How each saved landmark came: "suggested" (the pose model's point, kept), "moved" (the
    # model's point, dragged) or "hand" (placed by hand). Computed at save (photos.py).
    landmark_sources = models.JSONField(default=dict, blank=True)
    # What the pose model proposed (assessments/pose_model.py): {"landmarks": {name: [x, y]},
    # "guides": {"tragus": [x, y]}}; never the landmarks until the specialist saves them.
    suggestions = models.JSONField(default=dict, blank=True)
    suggested_at = models.DateTimeField(null=True, blank=True)
    suggestion_model = models.CharField(max_length=80, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = PosturePhotoQuerySet.as_manager()

    class Meta:
        ordering = ["assessment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "view"], name="one_photo_per_view")
        ]

    def __str__(self) -> str:
        return f"{self.get_view_display()} photo (assessment {self.assessment_id})"

    @property
    def contract_view(self) -> str:
        """The view as the landmarks format names it: "side", "front" or "back"."""
        return "side" if self.view in (self.View.LEFT, self.View.RIGHT) else self.view

    @property
    def facing(self) -> str | None:
        """Which way the client's face points in a side photo: a left-side photo shows the
        client's left, so they face the image's left (the usual set-up, §12.3)."""
        return {"left": "left", "right": "right"}.get(self.view)
