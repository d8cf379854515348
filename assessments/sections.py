"""The sections of an assessment: which model holds each, and which populations see it first."""

from __future__ import annotations

from dataclasses import dataclass

from clients.population import Population

from . import models

ALL = frozenset(Population)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    model: type | None  # None for pain, which is a list of reports
    relation: str | None
    populations: frozenset  # shown by default to these populations
    summary: str


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "static_posture",
        "Static posture",
        models.StaticPosture,
        "static_posture",
        ALL,
        "Kinetic chain checkpoints: what you see at each, and on which side.",
    ),
    SectionSpec(
        "tech_neck",
        "Tech neck",
        models.TechNeck,
        "tech_neck",
        frozenset({Population.ADULT, Population.YOUTH, Population.POSTPARTUM}),
        "Craniovertebral angle, wall distance and daily screen time.",
    ),
    SectionSpec(
        "pelvic_tilt",
        "Pelvic tilt",
        models.PelvicTilt,
        "pelvic_tilt",
        frozenset({Population.ADULT, Population.POSTPARTUM}),
        "Inclinometer angle on each side, anterior tilt positive.",
    ),
    SectionSpec(
        "overhead_squat",
        "Overhead squat",
        models.OverheadSquat,
        "overhead_squat",
        frozenset({Population.ADULT, Population.YOUTH}),
        "Compensations by view, per side where it applies.",
    ),
    SectionSpec(
        "gait",
        "Gait",
        models.Gait,
        "gait",
        frozenset({Population.ADULT, Population.SENIOR}),
        "Deviations observed while the client walks.",
    ),
    SectionSpec(
        "senior_tests",
        "Senior fitness and balance",
        models.SeniorTests,
        "senior_tests",
        frozenset({Population.SENIOR}),
        "Senior Fitness Test items, Timed Up and Go and tandem stance.",
    ),
    SectionSpec(
        "postpartum",
        "Postpartum",
        models.Postpartum,
        "postpartum",
        frozenset({Population.POSTPARTUM}),
        "Inter-recti distance, doming and pelvic floor symptoms.",
    ),
    SectionSpec(
        "youth",
        "Growth and maturity",
        models.Youth,
        "youth",
        frozenset({Population.YOUTH}),
        "Standing and sitting height and weight for the maturity offset; growth-related pain.",
    ),
    SectionSpec(
        "pain",
        "Pain during testing",
        None,
        None,
        ALL,
        "Where it hurt, how much (0-10) and during which test.",
    ),
)

BY_KEY = {spec.key: spec for spec in SECTIONS}


def sections_for(population: str, *, recorded: set[str], added: set[str]) -> list[SectionSpec]:
    """The sections to show: the population's defaults, anything recorded, anything added."""
    return [
        spec
        for spec in SECTIONS
        if population in spec.populations or spec.key in recorded or spec.key in added
    ]


@dataclass(frozen=True)
class SectionStatus:
    """What a section's badge says about it, and the badge's colour."""

    code: str
    label: str
    css: str


SAVED = SectionStatus("saved", "Saved", "text-bg-success")
NOT_RECORDED = SectionStatus("not-recorded", "Not recorded", "text-bg-light")
HAS_ERRORS = SectionStatus("errors", "Not saved: has errors", "text-bg-danger")
CONFLICT = SectionStatus("conflict", "Not saved: saved by someone else first", "text-bg-warning")
# Shown by the page's script (js/drafts.js) as soon as an entry differs from what was loaded.
CHANGED = SectionStatus("changed", "Not saved: changed", "text-bg-warning")


def section_status(form, *, recorded: bool) -> SectionStatus:
    """The truth about a section as the server shows it: a form shown again after a post was
    refused (errors or a conflict), never "Saved"; otherwise saved or not recorded."""
    if getattr(form, "conflict", None):
        return CONFLICT
    if form.is_bound:
        return HAS_ERRORS if not form.is_valid() else CHANGED
    return SAVED if recorded else NOT_RECORDED
