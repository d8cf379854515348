"""Demo assessments: what the demo practice's clients showed at their sessions."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from clients.demo import demo_clients

from . import models

# Sections by demo client (first name); two sessions for Daniel so progress shows.
DEMO_SESSIONS = {
    "Daniel": [
        (
            42,
            {
                "tech_neck": {"cva_deg": 44.0, "wall_distance_cm": 14.0, "screen_hours_per_day": 9},
                "static_posture": [
                    {"code": "forward_head", "side": None},
                    {"code": "rounded_shoulders", "side": None},
                ],
                "pelvic_tilt": {"pelvic_tilt_left_deg": 13.0, "pelvic_tilt_right_deg": 12.0},
                "overhead_squat": [
                    {"code": "arms_fall_forward", "view": "lateral", "side": None},
                    {"code": "head_forward", "view": "lateral", "side": None},
                ],
            },
        ),
        (
            7,
            {
                "tech_neck": {"cva_deg": 47.5, "wall_distance_cm": 12.0, "screen_hours_per_day": 8},
                "static_posture": [{"code": "rounded_shoulders", "side": None}],
                "pelvic_tilt": {"pelvic_tilt_left_deg": 12.0, "pelvic_tilt_right_deg": 12.0},
                "overhead_squat": [{"code": "arms_fall_forward", "view": "lateral", "side": None}],
            },
        ),
    ],
    "Margaret": [
        (
            7,
            {
                "senior_tests": {
                    "chair_stand_30s": 9,
                    "arm_curl_30s": 13,
                    "two_min_step": 70,
                    "chair_sit_reach_cm": -3.0,
                    "back_scratch_cm": -12.0,
                    "up_and_go_8ft_s": 7.5,
                    "six_min_walk_m": 430.0,
                    "tug_s": 12.8,
                    "tandem_stance_s": 7.0,
                },
                "gait": ["short_stride", "reduced_arm_swing"],
            },
        )
    ],
    "Sofia": [
        (
            7,
            {
                "postpartum": {
                    "ird_above_umbilicus_cm": 2.5,
                    "ird_umbilicus_cm": 3.0,
                    "ird_below_umbilicus_cm": 1.5,
                    "doming": True,
                    "leakage": False,
                    "heaviness": False,
                    "pelvic_pain": False,
                },
                "pelvic_tilt": {"pelvic_tilt_left_deg": 16.0, "pelvic_tilt_right_deg": 15.0},
                "static_posture": [{"code": "anterior_pelvic_tilt", "side": None}],
            },
        )
    ],
    "Maya": [
        (
            7,
            {
                "youth": {"height_cm": 158.0, "sitting_height_cm": 82.0, "weight_kg": 46.0},
                "overhead_squat": [
                    {"code": "knees_in", "view": "anterior", "side": "both"},
                    {"code": "feet_turn_out", "view": "anterior", "side": "both"},
                ],
                "static_posture": [{"code": "knees_in", "side": "both"}],
            },
        )
    ],
}

OBSERVATION_SECTIONS = {"static_posture", "overhead_squat"}
SECTION_MODELS = {
    "static_posture": models.StaticPosture,
    "tech_neck": models.TechNeck,
    "pelvic_tilt": models.PelvicTilt,
    "overhead_squat": models.OverheadSquat,
    "gait": models.Gait,
    "senior_tests": models.SeniorTests,
    "postpartum": models.Postpartum,
    "youth": models.Youth,
}


@transaction.atomic
def seed_assessments(practice) -> int:
    """Record the demo sessions of clients who have none yet; returns how many were made."""
    today = timezone.localdate()
    made = 0
    # Only the demo's own clients: a client a user added (even another "Maya") is theirs.
    for client in demo_clients(practice).filter(first_name__in=DEMO_SESSIONS):
        if client.assessments.exists():
            continue
        for days_ago, sections in DEMO_SESSIONS[client.first_name]:
            assessment = models.Assessment.objects.create(
                client=client,
                specialist=client.specialist,
                assessed_on=today - timedelta(days=days_ago),
            )
            for key, values in sections.items():
                model = SECTION_MODELS[key]
                if key in OBSERVATION_SECTIONS:
                    model.objects.create(assessment=assessment, observations=values)
                elif key == "gait":
                    model.objects.create(assessment=assessment, deviations=values)
                else:
                    model.objects.create(assessment=assessment, **values)
            made += 1
    return made
