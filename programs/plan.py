"""The plan a client takes home, as plain data: what the PDF shows, nothing more (pure).

``programs.documents.build_plan_document`` fills it from the database; ``programs.pdf``
renders it. Every string here may come from a person (names, notes) and is escaped by
the renderer, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class FindingRow:
    """One line of the findings table; ``value`` is "not measured" when it was not taken."""

    measure: str
    value: str
    reference: str
    meaning: str


@dataclass(frozen=True)
class ExerciseDoc:
    name: str
    sets: int | None
    dose: str  # "12 reps", "hold 30 s", "10 reps, hold 5 s"
    tempo: str  # "" when none
    cues: tuple[str, ...]
    equipment: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class PhaseDoc:
    title: str
    weeks: tuple[int, int]
    sessions_per_week: int
    criteria: str  # what the re-test must show before the next phase
    exercises: tuple[ExerciseDoc, ...]
    note: str = ""  # why the phase holds no exercise (the engine's note), printed in its place


@dataclass(frozen=True)
class ScreeningDoc:
    """Screening and referral status, in plain words for the client."""

    cleared: bool  # nothing to discuss with a physician first
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ChartDoc:
    title: str
    drawing: object  # a reportlab Drawing from assessments.charts (the web charts' code)


@dataclass(frozen=True)
class SourceDoc:
    """One entry of the plan's short bibliography: the id and how it is cited."""

    id: str
    lines: tuple[str, ...]  # the primary work first where there is one, then "via <id>"


@dataclass(frozen=True)
class PlanDocument:
    title: str
    client_name: str
    specialist_name: str
    practice_name: str
    population: str  # youth | adult | senior | postpartum
    version: int
    published_on: date | None
    starts_on: date
    retest_on: date
    screening: ScreeningDoc
    findings: tuple[FindingRow, ...]
    regions: frozenset[str]  # findings.REGIONS ids to highlight on the body map
    phases: tuple[PhaseDoc, ...]
    safety_notes: tuple[str, ...]
    charts: tuple[ChartDoc, ...] = ()
    practice_logo: bytes | None = None  # PNG or JPEG bytes, already validated on upload
    notes: str = ""  # the specialist's notes to the client
    assessed_on: date | None = None
    extra: dict = field(default_factory=dict)
    # The sources the plan's findings and rules cite, for the specialist (an appendix).
    sources: tuple[SourceDoc, ...] = ()
    # The same plan as an accessible web page in the client portal ("" when the site's
    # address is not configured: the PDF then names the portal without an address).
    portal_url: str = ""


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
