"""Measures side by side and over time (pure): tables for the pages, series for the charts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from .inputs import Measures
from .measures import MEASURES
from .posture import GAIT, OHS, POSTURE_DEVIATIONS

# Which way is an improvement, where there is one (declared with each measure). Pelvic tilt
# has none: the reference gives no healthy target, only the client's own baseline (§5.2).
HIGHER_IS_BETTER = {key for key, spec in MEASURES.items() if spec.better == "higher"}
LOWER_IS_BETTER = {key for key, spec in MEASURES.items() if spec.better == "lower"}

# The key measures plotted over time, with a reference line where the reference gives one.
CHARTED = (
    ("cva_deg", 50.0, "typical from 50°"),
    ("pelvic_tilt_left_deg", None, None),
    ("pelvic_tilt_right_deg", None, None),
    ("senior.chair_stand_30s", None, None),
    ("senior.arm_curl_30s", None, None),
    ("senior.two_min_step", None, None),
    ("senior.chair_sit_reach_cm", None, None),
    ("senior.back_scratch_cm", None, None),
    ("senior.up_and_go_8ft_s", None, None),
    ("senior.six_min_walk_m", None, None),
    ("senior.tug_s", 12.0, "fall risk from 12 s"),
    ("senior.tandem_stance_s", 10.0, "fall risk below 10 s"),
)


def flat_values(measures: Measures) -> dict[str, float]:
    """The numeric measures that were taken, by dotted key (nothing for what was not)."""
    values: dict[str, float] = {}
    for field in fields(Measures):
        value = getattr(measures, field.name)
        if field.name in MEASURES and value is not None:
            values[field.name] = value
    for group in ("senior", "postpartum", "youth"):
        section = getattr(measures, group)
        if section is None:
            continue
        for field in fields(section):
            key = f"{group}.{field.name}"
            value = getattr(section, field.name)
            if key in MEASURES and value is not None:
                values[key] = value
    return values


@dataclass(frozen=True)
class MeasureRow:
    key: str
    label: str
    unit: str
    value: float
    provenance: str = ""  # how it was taken when not typed (records.provenance_from)


def measure_rows(
    measures: Measures, provenance: Mapping[str, str] | None = None
) -> list[MeasureRow]:
    """What was measured, in the order of the measures table, each saying how it was taken
    when ``provenance`` (measure key -> words) names it."""
    values = flat_values(measures)
    taken = provenance or {}
    return [
        MeasureRow(key, spec.label, spec.unit, values[key], taken.get(key, ""))
        for key, spec in MEASURES.items()
        if key in values
    ]


def observations(measures: Measures) -> list[str]:
    """Every recorded observation in words, so what was seen shows even without a finding."""
    sides = {"left": "left", "right": "right", "both": "both sides"}
    lines = [
        f"Standing: {POSTURE_DEVIATIONS[o.code].label}" + (f" ({sides[o.side]})" if o.side else "")
        for o in measures.posture
        if o.code in POSTURE_DEVIATIONS
    ]
    lines += [
        f"Overhead squat: {OHS[o.code].label}" + (f" ({sides[o.side]})" if o.side else "")
        for o in measures.ohs
        if o.code in OHS
    ]
    lines += [f"Gait: {GAIT[code].label}" for code in measures.gait if code in GAIT]
    return lines


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    unit: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 2)

    @property
    def direction(self) -> str:
        """'better', 'worse', 'same' or '' when the measure has no better direction."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "same"
        if self.key in HIGHER_IS_BETTER:
            return "better" if change > 0 else "worse"
        if self.key in LOWER_IS_BETTER:
            return "better" if change < 0 else "worse"
        return ""


def compare(before: Measures, after: Measures) -> list[ComparisonRow]:
    """Every measure taken in either assessment, with its value in each ("not measured" = None)."""
    a, b = flat_values(before), flat_values(after)
    return [
        ComparisonRow(key, spec.label, spec.unit, a.get(key), b.get(key))
        for key, spec in MEASURES.items()
        if key in a or key in b
    ]


@dataclass(frozen=True)
class FindingChanges:
    """Finding codes between two assessments: gone, still there, and new (each sorted)."""

    resolved: list[str]
    kept: list[str]
    new: list[str]


def finding_changes(before: set[str], after: set[str]) -> FindingChanges:
    """What became of the earlier assessment's findings, and which are new in the later one."""
    return FindingChanges(
        resolved=sorted(before - after), kept=sorted(before & after), new=sorted(after - before)
    )


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    unit: str
    points: tuple[tuple[date, float | None], ...]
    reference: float | None = None
    reference_label: str | None = None

    @property
    def has_data(self) -> bool:
        return sum(value is not None for _, value in self.points) >= 1


def progress_series(assessments: list[tuple[date, Measures]]) -> list[Series]:
    """One series per charted measure, oldest first; a gap where a measure was not taken."""
    ordered = sorted(assessments, key=lambda pair: pair[0])
    values = [(day, flat_values(measures)) for day, measures in ordered]
    return [
        Series(
            key,
            MEASURES[key].label,
            MEASURES[key].unit,
            tuple((day, taken.get(key)) for day, taken in values),
            reference,
            reference_label,
        )
        for key, reference, reference_label in CHARTED
    ]
