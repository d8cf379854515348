"""Multi-step writes of programs: load the shipped data, generate, edit, publish, and
acknowledge pain ratings. Page reads (the re-run comparison included) are in selectors.

Views and commands call these; the engine itself stays pure (programs.engine).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments.findings import with_provenance
from assessments.models import Assessment
from assessments.records import clearance_recorded, facts_from, measures_from, provenance_from

from . import adherence, limits, sharing
from .case import Case, case_of, case_to_dict, parse_case
from .engine import draft_to_dict, suggest
from .library import Library, as_record, library_from_records, load_library
from .models import (
    Exercise,
    PainAcknowledgement,
    Phase,
    Program,
    ProgramExercise,
    ProgramVersion,
    RuleRow,
    RulesetVersion,
    SessionLog,
)
from .rules import DATA_DIR, Ruleset, load_ruleset, parse_ruleset, read_documents

PUBLISH_NEEDS_CLEARANCE = (
    "This program cannot be published yet: a referral is required and no clearance is "
    "recorded. Record the physician's or physiotherapist's clearance on the client page."
)
PUBLISHED_IS_READ_ONLY = "A published program is read-only: start a new version to change it."
OVERRIDE_REASON_REQUIRED = (
    "This exercise is excluded by a safety rule for this client. Give a reason to add it anyway."
)
UNKNOWN_EXERCISE = "Choose an exercise from the library."
NO_VARIANT = "This exercise has no %(to)s."
ASSESSMENT_DELETED = "The assessment this program came from was deleted."

# What an exercise may be swapped for, from its library record.
VARIANTS = ("regression", "progression")


# --- The shipped data in the database ------------------------------------------------------


def load_data_files(*, by=None) -> tuple[RulesetVersion, bool]:
    """Load the library and rule files into the database when they changed.

    Returns the files' ruleset version and whether it became current now. Unchanged files
    write nothing, so an admin's rule edit stays current until the files change again.
    When the library files change, they win over admin edits of the same exercises.
    """
    library = load_library()
    documents = read_documents(DATA_DIR)
    ruleset = parse_ruleset(documents)
    with transaction.atomic():
        _sync_library(library)
        last = (
            RulesetVersion.objects.filter(files_loaded_at__isnull=False)
            .order_by("-files_loaded_at", "-id")
            .first()
        )
        if last is not None and last.version == ruleset.version:
            return last, False
        version = RulesetVersion.objects.filter(version=ruleset.version).first()
        if version is None:
            version = _create_ruleset_version(documents, ruleset, by=by, note="loaded from files")
        now = timezone.now()
        version.files_loaded_at = version.activated_at = now
        version.save(update_fields=["files_loaded_at", "activated_at"])
        return version, True


def _sync_library(library: Library) -> None:
    stored = {e.slug: e for e in Exercise.objects.all()}
    if stored and all(e.library_version == library.version for e in stored.values()):
        return
    for position, exercise in enumerate(library):
        record = as_record(exercise)
        row = stored.pop(exercise.slug, None)
        if row is None:
            Exercise.objects.create(
                slug=exercise.slug,
                name=exercise.name,
                phase=exercise.phase,
                position=position,
                data=record,
                library_version=library.version,
            )
        elif row.data != record or row.position != position or not row.in_library:
            row.name, row.phase, row.position, row.data = (
                exercise.name,
                exercise.phase,
                position,
                record,
            )
            row.library_version, row.in_library = library.version, True
            row.save()
        elif row.library_version != library.version:
            Exercise.objects.filter(pk=row.pk).update(library_version=library.version)
    # Exercises that left the files stay for the programs that use them.
    for row in stored.values():
        if row.in_library:
            row.in_library = False
            row.save(update_fields=["in_library", "updated_at"])


def _create_ruleset_version(documents, ruleset: Ruleset, *, by, note: str) -> RulesetVersion:
    version = RulesetVersion.objects.create(
        version=ruleset.version, document=documents, created_by=by, note=note
    )
    RuleRow.objects.bulk_create(
        RuleRow(ruleset=version, table=table, rule_id=body["id"], kind=kind, body=body)
        for table, doc in sorted(documents.items())
        for kind, key in (("rule", "rule"), ("safety", "safety"))
        for body in doc.get(key, [])
    )
    return version


def ensure_loaded() -> None:
    """Load the shipped files on first use (and after a deploy that changed them)."""
    library = load_library()
    if not Exercise.objects.filter(library_version=library.version).exists() or (
        not RulesetVersion.objects.filter(version=load_ruleset().version).exists()
    ):
        load_data_files()


_parsed: dict[str, Ruleset] = {}


def current_ruleset() -> tuple[RulesetVersion, Ruleset]:
    """The newest ruleset version in the database (files or an admin edit), parsed."""
    ensure_loaded()
    version = RulesetVersion.objects.latest()
    return version, ruleset_of(version)


def ruleset_of(version: RulesetVersion) -> Ruleset:
    """A stored ruleset version, parsed (cached: versions never change once stored)."""
    if version.version not in _parsed:
        _parsed[version.version] = parse_ruleset(version.document)
    return _parsed[version.version]


_library_cache: dict[tuple, Library] = {}


def current_library() -> Library:
    """The library as stored (admin edits included), validated like the files."""
    ensure_loaded()
    rows = Exercise.objects.filter(in_library=True)
    key = tuple(rows.aggregate(latest=Max("updated_at")).values()) + (rows.count(),)
    if key not in _library_cache:
        _library_cache.clear()
        _library_cache[key] = library_from_records(
            rows.order_by("position").values_list("data", flat=True)
        )
    return _library_cache[key]


NOT_CURRENT_RULESET = "Only the rules of the current ruleset can be edited."


@transaction.atomic
def edit_rule(row: RuleRow, body: dict[str, Any], *, by) -> RulesetVersion:
    """A new current ruleset version with one rule changed; programs keep the version they used.

    Returning to an earlier content makes that earlier version current again.
    """
    if row.ruleset_id != RulesetVersion.objects.latest().pk:
        raise ValidationError(NOT_CURRENT_RULESET)
    documents = {table: dict(doc) for table, doc in row.ruleset.document.items()}
    key = "rule" if row.kind == "rule" else "safety"
    doc = documents[row.table]
    doc[key] = [body if item["id"] == row.rule_id else item for item in doc[key]]
    ruleset = parse_ruleset(documents)  # raises DataFileError naming the field
    version = RulesetVersion.objects.filter(version=ruleset.version).first()
    if version is None:
        version = _create_ruleset_version(
            documents, ruleset, by=by, note=f"{row.rule_id} edited in the admin"
        )
    version.activated_at = timezone.now()
    version.save(update_fields=["activated_at"])
    return version


# --- From a saved assessment to a draft -----------------------------------------------------


def case_dict_from(assessment: Assessment) -> dict[str, Any]:
    """The case-format input for a saved assessment (the same JSON the CLI takes).

    Written by ``case_to_dict``, the exact inverse of the parser, so the draft reads every
    recorded detail (sides and views of observations, an unrecorded birth type) as the
    assessment's own page does.
    """
    return case_to_dict(case_of(facts_from(assessment), measures_from(assessment)))


def case_from(assessment: Assessment) -> Case:
    """The engine's case for a saved assessment, through the same parser as the CLI."""
    return parse_case(case_dict_from(assessment))


def draft_for(assessment: Assessment) -> tuple[RulesetVersion, dict]:
    """The engine's draft (as case-format JSON) under the current ruleset and library."""
    version, ruleset = current_ruleset()
    draft = suggest(case_from(assessment), ruleset=ruleset, library=current_library())
    # The case format has no provenance: the draft's findings get it from the record.
    findings = with_provenance(draft.findings, provenance_from(assessment))
    return version, draft_to_dict(replace(draft, findings=tuple(findings)))


@transaction.atomic
def generate_program(assessment: Assessment, *, by, on: date | None = None) -> ProgramVersion:
    """A new program with a first draft version suggested from the assessment."""
    ruleset_version, draft = draft_for(assessment)
    program = Program.objects.create(client=assessment.client, created_by=by)
    version = _create_version(program, 1, assessment, ruleset_version, draft, by=by, on=on)
    assessment.client.touch()
    return version


def _create_version(program, number, assessment, ruleset_version, draft, *, by, on=None):
    starts = on or timezone.localdate()
    version = ProgramVersion.objects.create(
        program=program,
        number=number,
        assessment=assessment,
        ruleset=ruleset_version,
        population=draft["population"],
        draft=draft,
        starts_on=starts,
        retest_on=starts + timedelta(weeks=draft["retest_weeks"]),
        created_by=by,
    )
    exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=draft_slugs(draft))}
    for position, phase in enumerate(draft["phases"]):
        stored = Phase.objects.create(
            version=version,
            key=phase["key"],
            title=phase["title"],
            position=position,
            weeks=phase["weeks"],
            sessions_per_week=phase["sessions_per_week"],
            covers=phase.get("covers", []),
            criteria=phase.get("progression", ""),
            note=phase.get("note") or "",
        )
        bulk_create_with_history(
            [
                _item(stored, exercises[item["slug"]], index, item)
                for index, item in enumerate(phase["exercises"])
            ],
            ProgramExercise,
        )
    return version


def draft_slugs(draft) -> set[str]:
    """The library exercises a draft uses."""
    return {item["slug"] for phase in draft["phases"] for item in phase["exercises"]}


def _item(phase: Phase, exercise: Exercise, position: int, values: dict) -> ProgramExercise:
    return ProgramExercise(
        phase=phase,
        exercise=exercise,
        name=exercise.name,
        cues=exercise.data.get("cues", []),
        equipment=exercise.data.get("equipment", []),
        tags=exercise.data.get("tags", []),
        position=position,
        sets=values.get("sets"),
        reps=values.get("reps"),
        hold_s=values.get("hold_s"),
        tempo=values.get("tempo") or "",
        rules=values.get("rules", []),
        findings=values.get("findings", []),
        why=values.get("why", ""),
    )


# --- Editing a draft ------------------------------------------------------------------------


def _require_draft(version: ProgramVersion) -> None:
    if version.is_published:
        raise ValidationError(PUBLISHED_IS_READ_ONLY)


def excluded_tags(version: ProgramVersion) -> dict[str, str]:
    """Safety tag -> the safety rule excluding it for this client (from the draft's rules)."""
    ruleset = ruleset_of(version.ruleset)
    fired = {f["id"] for f in version.draft.get("rules_fired", []) if f["kind"] == "safety"}
    tags: dict[str, str] = {}
    for rule in ruleset.safety:
        if rule.id in fired and not rule.pain_region_scoped:
            for tag in rule.exclude_tags:
                tags.setdefault(tag, rule.id)
    return tags


def safety_conflicts(version: ProgramVersion, exercise: Exercise) -> list[str]:
    """The safety rules that exclude this exercise for the version's client ([] when none)."""
    blocked = excluded_tags(version)
    return sorted({blocked[tag] for tag in exercise.tags if tag in blocked})


@transaction.atomic
def add_exercise(
    version: ProgramVersion, phase: Phase, exercise: Exercise, *, override_reason: str = ""
) -> ProgramExercise:
    """Add a library exercise at the end of a phase; a safety exclusion needs a reason.

    Refused when the phase or the program already holds its most exercises (programs.limits).
    """
    _require_draft(version)
    _require_room(version, phase)
    conflicts = safety_conflicts(version, exercise)
    if conflicts and not override_reason.strip():
        raise ValidationError({"override_reason": OVERRIDE_REASON_REQUIRED})
    last = phase.items.aggregate(last=Max("position"))["last"]
    record = exercise.data
    item = _item(
        phase,
        exercise,
        0 if last is None else last + 1,
        {
            "sets": record.get("sets"),
            "reps": record.get("reps"),
            "hold_s": record.get("hold_s"),
            "tempo": record.get("tempo"),
            "why": "Added by the specialist.",
        },
    )
    if conflicts:
        item.override_reason = f"{override_reason.strip()} (overrides {', '.join(conflicts)})"
    item.save()
    return item


def _require_room(version: ProgramVersion, phase: Phase) -> None:
    # The version row is locked first so that two additions at once cannot both see room
    # for the last exercise (PostgreSQL; SQLite's IMMEDIATE transactions already queue).
    ProgramVersion.objects.select_for_update().values_list("pk", flat=True).get(pk=version.pk)
    if phase.items.count() >= limits.MAX_ITEMS_PER_PHASE:
        raise ValidationError(limits.PHASE_FULL)
    in_program = ProgramExercise.objects.filter(phase__version=version).count()
    if in_program >= limits.MAX_ITEMS_PER_PROGRAM:
        raise ValidationError(limits.PROGRAM_FULL)


@transaction.atomic
def remove_exercise(item: ProgramExercise) -> None:
    _require_draft(item.phase.version)
    item.delete()


@transaction.atomic
def move_exercise(item: ProgramExercise, *, up: bool) -> None:
    """Swap the exercise with its neighbour in the phase."""
    _require_draft(item.phase.version)
    items = list(item.phase.items.order_by("position", "id"))
    index = items.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        if each.position != position:
            ProgramExercise.objects.filter(pk=each.pk).update(position=position)


@transaction.atomic
def swap_exercise(item: ProgramExercise, *, to: str, override_reason: str = "") -> ProgramExercise:
    """Replace the exercise by its regression or progression, keeping its place and reasons."""
    version = item.phase.version
    _require_draft(version)
    slug = item.exercise.data.get(to)
    if to not in VARIANTS or not slug:
        raise ValidationError(NO_VARIANT, params={"to": to})
    replacement = Exercise.objects.get(slug=slug)
    conflicts = safety_conflicts(version, replacement)
    if conflicts and not override_reason.strip():
        raise ValidationError({"override_reason": OVERRIDE_REASON_REQUIRED})
    record = replacement.data
    item.exercise = replacement
    item.name, item.cues = replacement.name, record.get("cues", [])
    item.equipment, item.tags = record.get("equipment", []), record.get("tags", [])
    item.sets, item.reps, item.hold_s = record.get("sets"), record.get("reps"), record.get("hold_s")
    item.tempo = record.get("tempo") or ""
    item.why = f"{item.why} Swapped for its {to}.".strip()
    if conflicts:
        item.override_reason = f"{override_reason.strip()} (overrides {', '.join(conflicts)})"
    item.save()
    return item


# --- Publishing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishCheck:
    allowed: bool
    reasons: tuple[str, ...]
    details: tuple[str, ...]


def publish_check(version: ProgramVersion) -> PublishCheck:
    """May this version be published now? Referral reasons hold until a clearance is recorded
    on or after the assessment it came from."""
    referral = version.draft.get("referral", {})
    reasons = tuple(referral.get("reasons", []))
    if not referral.get("required"):
        return PublishCheck(True, (), ())
    cleared = version.assessment is not None and clearance_recorded(version.assessment)
    if cleared:
        return PublishCheck(True, reasons, ())
    return PublishCheck(False, reasons, tuple(referral.get("details", [])))


@transaction.atomic
def publish(version: ProgramVersion, *, by) -> ProgramVersion:
    """Publish a draft: it becomes read-only. Refused while a referral waits for clearance."""
    _require_draft(version)
    check = publish_check(version)
    if not check.allowed:
        raise ValidationError(PUBLISH_NEEDS_CLEARANCE)
    version.status = ProgramVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    sharing.freeze_pdf(version)
    version.program.client.touch()
    return version


@transaction.atomic
def redraft(version: ProgramVersion, *, by) -> ProgramVersion:
    """A new draft version of the same program, suggested again under the current ruleset."""
    if version.assessment is None:
        raise ValidationError(ASSESSMENT_DELETED)
    program = version.program
    assessment = version.assessment
    existing = program.versions.filter(status=ProgramVersion.Status.DRAFT).first()
    if existing is not None:
        existing.delete()  # an unpublished draft is replaced, never kept twice
    ruleset_version, draft = draft_for(assessment)
    number = (program.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return _create_version(program, number, assessment, ruleset_version, draft, by=by)


@transaction.atomic
def new_version(published: ProgramVersion, *, by) -> ProgramVersion:
    """A new draft version copying a published one, to edit it without touching the original."""
    program = published.program
    existing = program.versions.filter(status=ProgramVersion.Status.DRAFT).first()
    if existing is not None:
        return existing
    number = program.versions.aggregate(n=Max("number"))["n"] + 1
    copy = ProgramVersion.objects.create(
        program=program,
        number=number,
        assessment=published.assessment,
        ruleset=published.ruleset,
        population=published.population,
        draft=published.draft,
        notes=published.notes,
        starts_on=published.starts_on,
        retest_on=published.retest_on,
        created_by=by,
    )
    for phase in published.phases.prefetch_related("items"):
        items = list(phase.items.all())
        phase.pk, phase.version = None, copy
        phase.save()
        for item in items:
            item.pk, item.phase = None, phase
        bulk_create_with_history(items, ProgramExercise)
    return copy


# --- Pain ratings ---------------------------------------------------------------------------


@transaction.atomic
def acknowledge_pain(version: ProgramVersion, *, by, note: str) -> int:
    """Acknowledge the version's high pain ratings with the specialist's note: the client
    leaves the attention list until a new one is logged. Returns how many were acknowledged."""
    # Lock the session rows only: PostgreSQL refuses FOR UPDATE on the outer join that
    # "not acknowledged yet" needs.
    sessions = SessionLog.objects.select_for_update(of=("self",)).filter(
        adherence.alerting(), version=version, acknowledgement__isnull=True
    )
    count = 0
    for session in sessions:
        PainAcknowledgement.objects.create(session=session, acknowledged_by=by, note=note)
        count += 1
    return count
