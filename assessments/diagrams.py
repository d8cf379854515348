"""Which "how to measure" diagram goes next to each measure field (pure data).

Paths are relative to the static root (``config/static``), ready for ``{% static %}``. Each
diagram illustrates the ``how_to`` text of its measure in ``measures.py``; several keys share
one drawing (both pelvic tilt sides, the three inter-recti sites).
"""

from __future__ import annotations

_DIR = "img/measures/"

DIAGRAMS: dict[str, str] = {
    "cva_deg": _DIR + "cva.svg",
    "wall_distance_cm": _DIR + "tragus-wall.svg",
    "screen_hours_per_day": _DIR + "screen-time.svg",
    "pelvic_tilt_left_deg": _DIR + "pelvic-tilt.svg",
    "pelvic_tilt_right_deg": _DIR + "pelvic-tilt.svg",
    "senior.chair_stand_30s": _DIR + "chair-stand.svg",
    "senior.arm_curl_30s": _DIR + "arm-curl.svg",
    "senior.two_min_step": _DIR + "two-min-step.svg",
    "senior.chair_sit_reach_cm": _DIR + "sit-reach.svg",
    "senior.back_scratch_cm": _DIR + "back-scratch.svg",
    "senior.up_and_go_8ft_s": _DIR + "up-and-go.svg",
    "senior.six_min_walk_m": _DIR + "six-min-walk.svg",
    "senior.tug_s": _DIR + "tug.svg",
    "senior.tandem_stance_s": _DIR + "tandem-stance.svg",
    "postpartum.ird_above_umbilicus_cm": _DIR + "ird.svg",
    "postpartum.ird_umbilicus_cm": _DIR + "ird.svg",
    "postpartum.ird_below_umbilicus_cm": _DIR + "ird.svg",
    "youth.height_cm": _DIR + "height.svg",
    "youth.sitting_height_cm": _DIR + "sitting-height.svg",
    "youth.weight_kg": _DIR + "weight.svg",
    "pain.score": _DIR + "pain-scale.svg",
}


def diagram_for(key: str) -> str | None:
    """The static path of the diagram for measure ``key``, or None when it has none."""
    return DIAGRAMS.get(key)
