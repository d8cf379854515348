"""The specialist's report and referral letter, as plain data (pure).

``programs.documents.build_specialist_report`` fills it from the database;
``programs.pdf.report`` renders it. Every string here may come from a person (names,
notes) and is escaped by the renderer, never here. (The client's own plan is
``programs.client_plan``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessments.photo_overlay import Overlay

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class SourceDoc:
    """One entry of the plan's short bibliography: the id and how it is cited."""

    id: str
    lines: tuple[str, ...]  # the primary work first where there is one, then "via <id>"


# --- The specialist's report and the referral letter ---------------------------------------


@dataclass(frozen=True)
class ReportFinding:
    """A finding as the specialist's report lists it: the value, its norm and its sources."""

    measure: str
    value: str
    norm: str  # the reference the value was compared with ("" when none applies)
    meaning: str
    sources: tuple[str, ...]  # bibliography ids, cited in full in the report's references


@dataclass(frozen=True)
class ReportExercise:
    """An exercise with the rule behind it: why the engine (or the specialist) chose it."""

    name: str
    dose: str  # "2 × 10 reps, hold 5 s"
    rules: tuple[str, ...]  # "rule-id: its rationale", one per rule that chose it
    why: str  # the finding in words ("" when none)
    changed: str = ""  # the specialist's reason for changing what the engine chose


@dataclass(frozen=True)
class ReportPhase:
    title: str
    weeks: tuple[int, int]
    sessions_per_week: int
    exercises: tuple[ReportExercise, ...]


@dataclass(frozen=True)
class ReferralDoc:
    """Whether the client must see a physician or physiotherapist first, and why."""

    required: bool
    reasons: tuple[str, ...]  # in words
    details: tuple[str, ...] = ()
    cleared: str = ""  # "Cleared by … on …" when a clearance covers the assessment


@dataclass(frozen=True)
class ReportPhoto:
    """A posture photo of the plan's assessment: the stored JPEG, what is drawn over it and
    its angles in words."""

    view: str  # "Left side"
    image: bytes  # the stored JPEG (upright, no metadata)
    overlay: Overlay
    lines: tuple[str, ...]  # the angles, one a line
    placed: str = ""  # "Landmarks placed by … on …"


@dataclass(frozen=True)
class SpecialistReport:
    """The specialist's report (for the file and the referred-to clinician) and, when a
    referral is required, the referral letter: both from this one set of facts."""

    title: str
    client_name: str
    client_birth_date: date | None
    specialist_name: str
    specialist_email: str
    practice_name: str
    population: str
    version: int
    published_on: date | None
    assessed_on: date | None
    written_on: date  # the day the report is drawn up (the letter's date)
    findings: tuple[ReportFinding, ...]
    referral: ReferralDoc
    phases: tuple[ReportPhase, ...]
    sources: tuple[SourceDoc, ...]
    photos: tuple[ReportPhoto, ...] = ()  # the assessment's posture photos, in view order
