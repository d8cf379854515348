"""The exercise library: versioned TOML data and its pure validating parser (no database).

The data lives in ``programs/data/exercises/*.toml``. Each file is a list of
``[[exercise]]`` tables, grouped by phase (``inhibit.toml`` ...) or by the population the
work was written for (``postpartum.toml``, ``senior.toml``, ``youth.toml``). Grouping is
for people; every exercise carries its own phase.

Schema of one ``[[exercise]]`` table (R = required, unknown keys are rejected):

=============== === ==================================================================
key                 value
=============== === ==================================================================
slug             R  unique kebab-case id, stable once shipped (plans refer to it)
name             R  display name
phase            R  ``inhibit`` | ``lengthen`` | ``activate`` | ``integrate``
targets          R  1+ muscle ids from ``assessments.muscles.MUSCLES``
patterns            pattern ids from ``assessments.muscles.PATTERNS``; default ``[]``;
                    at least one for ``integrate``
equipment        R  list of plain names (``"foam roller"``); ``[]`` for none
position         R  one of ``POSITIONS``
populations      R  1+ of ``youth`` | ``adult`` | ``senior`` | ``postpartum`` (who it suits)
tags             R  safety tags from ``SAFETY_TAGS``; ``[]`` only when none apply. A position
                    needs the tags of ``POSITION_TAGS`` (``supine`` -> ``supine_lying`` and
                    ``floor``, ``kneeling`` -> ``kneeling`` and ``floor``...)
sets             R  1-4
reps                1-30: repetitions, breaths, steps or contacts
hold_s              1-600: seconds each rep or hold lasts (SMR pressure, stretch, timed
                    interval, a walk); ``inhibit`` and ``lengthen`` need it; every exercise needs
                    ``reps`` or ``hold_s``
tempo               ``"lower/hold/lift"`` seconds, e.g. ``"4/2/2"`` [PFC-tempo]; needs ``reps``
cues             R  2-4 coaching cues written to the client, each at most 160 characters
regression          slug of an easier exercise (lower ``level``), never itself
progression         slug of a harder exercise (higher ``level``), never itself
source           R  where the acute variables come from: a key of ``SOURCES``
level            R  1-3, orders regressions and progressions
=============== === ==================================================================

``regions`` is not stored: it is derived from ``targets`` (``muscle_region``), in the
order of ``assessments.findings.REGIONS``.

The library version is the first 12 hex digits of a SHA-256 over the parsed exercises in
library order (files by name, then file order). An edit that changes any exercise, or
their order, gives a new version; comments and whitespace do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assessments.findings import REGIONS
from assessments.muscles import MUSCLES, PATTERNS, muscle_region
from clients.population import Population
from core.data_files import (
    DataFileError,
    Table,
    content_digest,
    read_toml_files,
    shipped_by_default,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "data" / "exercises"

PHASES = ("inhibit", "lengthen", "activate", "integrate")
POPULATIONS = tuple(p.value for p in Population)
POSITIONS = (
    "standing",
    "seated",
    "supine",
    "prone",
    "side_lying",
    "quadruped",
    "kneeling",
    "wall",
    "chair_supported",
)
# The case-format vocabulary (shared/design/case-format.md); safety rules exclude by these.
SAFETY_TAGS = frozenset(
    {
        "impact",
        "loaded_spinal_flexion",
        "high_intra_abdominal_pressure",
        "unsupported_balance",
        "heavy_load",
        "end_range_neck",
        "prone_lying",
        "supine_lying",
        # Added to the contract's list (it says "at least"):
        "floor",  # done lying, sitting or kneeling on the floor: getting down and up again
        "kneeling",  # weight on a knee resting on the floor (kneeling, all fours, knee planks)
        "loaded_knee",  # a bent knee under external load or one leg: squats, lunges, step-ups
        "side_lying_roller",  # lying on one side with the body's weight on a roller or ball
    }
)
# A position implies these tags, so a rule that excludes by tag cannot miss one. Other
# exercises carry them by what they do (sitting on the floor on a roller, a plank on the
# knees); the tests list those.
POSITION_TAGS: dict[str, tuple[str, ...]] = {
    "supine": ("supine_lying", "floor"),
    "prone": ("prone_lying", "floor"),
    "side_lying": ("floor",),
    "quadruped": ("floor",),
    "kneeling": ("kneeling", "floor"),
}

# Keys of shared/domain/reference.md, plus two that the reference names without a key.
SOURCES: dict[str, str] = {
    "OEP-flex": "NASM flexibility: SMR and static stretch, 1 set, hold ~30 s (ref §2.2)",
    "PFC-tempo": "NASM stabilization tempo 4/2/2 for activation, 1-2 x 10-15 (ref §2.2)",
    "NASM-CES": "NASM CES manual as quoted in ref §2.2: integration 1-3 x 10-15 slow reps, "
    "PNF contract-relax; status U there (not retrieved), so a practice default",
    "Guru-ACSM": "ACSM flexibility guideline: 2-4 reps, older adults hold 30-60 s (ref §2.2)",
    "NSCA-2009": "NSCA youth resistance training: start 1-2 x 10-15 (ref §8.3)",
    "AdoreYourPF": "Postnatal pelvic-floor baseline and walk-run start (ref §7.2)",
    "Embody-RTR": "Postnatal load and impact tests: jog 1 min, hops, running man (ref §7.2)",
    "InjuryMatters-4SBT": "4-Stage Balance Test: each stance held 10 s (ref §6.2)",
    "practice-default": "Realign practice default: the reference gives no dose; shown as such",
}

SETS_RANGE = (1, 4)
REPS_RANGE = (1, 30)
HOLD_RANGE = (1, 600)  # up to 10 min (the edit form's limit): a timed walk is one long hold
LEVEL_RANGE = (1, 3)
CUES_RANGE = (2, 4)
CUE_MAX_CHARS = 160
EQUIPMENT_RANGE = (0, 10)
NAME_MAX_CHARS = 80

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEMPO = re.compile(r"\d{1,2}/\d{1,2}/\d{1,2}")


# The old name, kept until programs/admin.py imports DataFileError (the one error type).


@dataclass(frozen=True)
class Exercise:
    slug: str
    name: str
    phase: str
    targets: tuple[str, ...]
    patterns: tuple[str, ...]
    regions: tuple[str, ...]
    equipment: tuple[str, ...]
    position: str
    populations: frozenset[str]
    tags: frozenset[str]
    sets: int
    reps: int | None
    hold_s: int | None
    tempo: str | None
    cues: tuple[str, ...]
    regression: str | None
    progression: str | None
    source: str
    level: int


@dataclass(frozen=True)
class Library:
    """Exercises by slug, in library order, with the content version they came from."""

    exercises: Mapping[str, Exercise] = field(repr=False)
    version: str

    def __len__(self) -> int:
        return len(self.exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises.values())

    def __contains__(self, slug: object) -> bool:
        return slug in self.exercises

    def get(self, slug: str) -> Exercise | None:
        return self.exercises.get(slug)

    def by_phase(self, phase: str) -> tuple[Exercise, ...]:
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}")
        return tuple(e for e in self if e.phase == phase)

    def for_population(self, population: str) -> tuple[Exercise, ...]:
        if population not in POPULATIONS:
            raise ValueError(f"unknown population {population!r}")
        return tuple(e for e in self if population in e.populations)


@shipped_by_default(LIBRARY_DIR)
def load_library(directory: Path) -> Library:
    """Read and validate every ``*.toml`` in ``directory`` (default: shipped library, cached)."""
    docs = read_toml_files(directory)
    if not docs:
        raise DataFileError(str(directory), "files", "no *.toml exercise files")
    return parse_library(docs)


def parse_library(docs: dict[str, dict]) -> Library:
    """Validate parsed TOML documents (file name -> document) into a ``Library``."""
    return _parse_library(docs, from_files=True)


def _parse_library(docs: Mapping[str, Any], *, from_files: bool) -> Library:
    """The library of ``docs``; stored records (``from_files`` false) have no file to name."""
    exercises: dict[str, Exercise] = {}
    found_in: dict[str, str | None] = {}
    for path in sorted(docs):
        file = path if from_files else None
        for number, table in enumerate(_exercise_tables(file, docs[path]), start=1):
            exercise = _parse_exercise(table, file, number)
            if exercise.slug in exercises:
                raise DataFileError(
                    file,
                    "slug",
                    f"duplicate slug (also in {found_in[exercise.slug] or 'the library'})",
                    record=exercise.slug,
                )
            exercises[exercise.slug] = exercise
            found_in[exercise.slug] = file
    _check_links(exercises, found_in)
    return Library(exercises=MappingProxyType(exercises), version=_version(exercises.values()))


def _exercise_tables(file: str | None, doc: Any) -> list[Any]:
    top = Table(doc, file=file, what="a TOML document")
    tables = top.take("exercise", list, "one or more [[exercise]] tables", required=True)
    if not tables:
        top.fail("exercise", "must be one or more [[exercise]] tables")
    top.done()
    return tables


def _parse_exercise(raw: Any, file: str | None, number: int) -> Exercise:
    slug = raw.get("slug") if isinstance(raw, dict) else None
    named = isinstance(slug, str) and _SLUG.fullmatch(slug)
    table = Table(raw, file=file, record=slug if named else f"exercise {number}")

    slug = _slug(table, "slug", required=True)
    name = table.text("name", max_chars=NAME_MAX_CHARS)
    phase = table.choice("phase", PHASES)
    targets = table.ids("targets", MUSCLES, "muscle id", required=True, at_least=1)
    patterns = table.ids("patterns", PATTERNS, "pattern id")
    equipment = _texts(table, "equipment", EQUIPMENT_RANGE)
    position = table.choice("position", POSITIONS)
    populations = table.ids("populations", POPULATIONS, "population", required=True, at_least=1)
    tags = table.ids("tags", SAFETY_TAGS, "safety tag", required=True)
    sets = table.integer("sets", *SETS_RANGE)
    reps = table.integer("reps", *REPS_RANGE, required=False)
    hold_s = table.integer("hold_s", *HOLD_RANGE, required=False)
    tempo = _tempo(table, "tempo")
    cues = _texts(table, "cues", CUES_RANGE)
    regression = _slug(table, "regression")
    progression = _slug(table, "progression")
    source = table.choice("source", SOURCES)
    level = table.integer("level", *LEVEL_RANGE)
    table.done()

    regions = {muscle_region(t) for t in targets}
    if phase == "integrate" and not patterns:
        table.fail("patterns", "an integrate exercise needs at least one pattern")
    for implied in POSITION_TAGS.get(position, ()):
        if implied not in tags:
            table.fail("tags", f"position {position!r} needs the {implied!r} tag")
    if reps is None and hold_s is None:
        table.fail("reps", "give reps, hold_s or both")
    if phase in ("inhibit", "lengthen") and hold_s is None:
        table.fail("hold_s", f"a {phase} exercise is held; give hold_s")
    if tempo is not None and reps is None:
        table.fail("tempo", "a tempo describes a rep; give reps too")
    for key, other in (("regression", regression), ("progression", progression)):
        if other == slug:
            table.fail(key, "an exercise cannot refer to itself")

    return Exercise(
        slug=slug,
        name=name,
        phase=phase,
        targets=targets,
        patterns=patterns,
        regions=tuple(r for r in REGIONS if r in regions),
        equipment=equipment,
        position=position,
        populations=frozenset(populations),
        tags=frozenset(tags),
        sets=sets,
        reps=reps,
        hold_s=hold_s,
        tempo=tempo,
        cues=cues,
        regression=regression,
        progression=progression,
        source=source,
        level=level,
    )


def _slug(table: Table, key: str, *, required: bool = False) -> str | None:
    value = table.take(key, str, "a kebab-case slug", required=required)
    if value is not None and not _SLUG.fullmatch(value):
        table.fail(key, f"must be a kebab-case slug (got {value!r})")
    return value


def _texts(table: Table, key: str, count: tuple[int, int]) -> tuple[str, ...]:
    """Short trimmed texts (cues, equipment), each distinct."""
    values = table.strings(key, "texts", required=True, count=count)
    for index, value in enumerate(values):
        if not value.strip() or value != value.strip() or len(value) > CUE_MAX_CHARS:
            table.fail(f"{key}[{index}]", f"must be trimmed, 1-{CUE_MAX_CHARS} characters")
    return tuple(values)


def _tempo(table: Table, key: str) -> str | None:
    value = table.take(key, str, "a string", required=False)
    if value is not None and not _TEMPO.fullmatch(value):
        table.fail(key, f'must be seconds as "lower/hold/lift" like "4/2/2" (got {value!r})')
    return value


def _check_links(exercises: Mapping[str, Exercise], found_in: Mapping[str, str | None]) -> None:
    for exercise in exercises.values():
        where = {"file": found_in[exercise.slug], "record": exercise.slug}
        for key, easier in (("regression", True), ("progression", False)):
            slug = getattr(exercise, key)
            if slug is None:
                continue
            other = exercises.get(slug)
            if other is None:
                raise DataFileError(field=key, message=f"no exercise with slug {slug!r}", **where)
            if easier and other.level >= exercise.level:
                raise DataFileError(
                    field=key,
                    message=f"{slug!r} must have a lower level than {exercise.level}",
                    **where,
                )
            if not easier and other.level <= exercise.level:
                raise DataFileError(
                    field=key,
                    message=f"{slug!r} must have a higher level than {exercise.level}",
                    **where,
                )


def _version(exercises: Iterable[Exercise]) -> str:
    canonical = [_plain(exercise) for exercise in exercises]
    return content_digest(canonical, ensure_ascii=False)[:12]


def _plain(exercise: Exercise) -> dict[str, Any]:
    # vars() holds exactly the dataclass fields (no slots, no other attributes).
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in vars(exercise).items()}


def as_record(exercise: Exercise) -> dict[str, Any]:
    """The exercise as its TOML table (what ``parse_library`` reads back), for storage."""
    record: dict[str, Any] = {}
    for f in fields(Exercise):
        if f.name == "regions":  # derived from targets on parsing
            continue
        value = getattr(exercise, f.name)
        if value is None:
            continue
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = list(value)
        record[f.name] = value
    return record


def library_from_records(records: Iterable[Mapping[str, Any]]) -> Library:
    """A library from stored records (in library order), validated like the files."""
    return _parse_library({"database": {"exercise": [dict(r) for r in records]}}, from_files=False)
