"""Assessments: a dated, signed session record with optional sections, each saved on its own.

Field names follow the case format (shared/design/case-format.md) so that a saved
assessment maps to the engine's input without translation. Empty means "not measured".
"""

from __future__ import annotations

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
