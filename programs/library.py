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

import hashlib
import json
import re
import tomllib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assessments.findings import REGIONS
from assessments.muscles import MUSCLES, PATTERNS, muscle_region
from clients.population import Population

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

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEMPO = re.compile(r"\d{1,2}/\d{1,2}/\d{1,2}")
_REQUIRED = (
    "slug",
    "name",
    "phase",
    "targets",
    "equipment",
    "position",
    "populations",
    "tags",
    "sets",
    "cues",
    "source",
    "level",
)
_OPTIONAL = ("patterns", "reps", "hold_s", "tempo", "regression", "progression")


class LibraryError(ValueError):
    """A library file that does not follow the schema; names where, which field and why."""

    def __init__(self, where: str, field: str, message: str) -> None:
        super().__init__(f"{where}: {field}: {message}")
        self.where = where
        self.field = field
        self.message = message


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


def load_library(directory: Path | None = None) -> Library:
    """Read and validate every ``*.toml`` in ``directory`` (default: shipped library, cached)."""
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@cache
def _load_default() -> Library:
    return _load(LIBRARY_DIR)


def _load(directory: Path) -> Library:
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise LibraryError(str(directory), "files", "no *.toml exercise files")
    docs: dict[str, dict] = {}
    for path in paths:
        try:
            docs[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise LibraryError(path.name, "toml", str(exc)) from exc
    return parse_library(docs)


def parse_library(docs: dict[str, dict]) -> Library:
    """Validate parsed TOML documents (file name -> document) into a ``Library``."""
    exercises: dict[str, Exercise] = {}
    found_in: dict[str, str] = {}
    for path in sorted(docs):
        for number, raw in enumerate(_exercise_tables(path, docs[path]), start=1):
            exercise = _parse_exercise(raw, f"{path} exercise {number}")
            if exercise.slug in exercises:
                raise LibraryError(
                    exercise.slug, "slug", f"duplicate slug (also in {found_in[exercise.slug]})"
                )
            exercises[exercise.slug] = exercise
            found_in[exercise.slug] = path
    _check_links(exercises)
    return Library(exercises=MappingProxyType(exercises), version=_version(exercises.values()))


def _exercise_tables(path: str, doc: Any) -> list:
    if not isinstance(doc, dict):
        raise LibraryError(path, "exercise", "expected a TOML document")
    extra = sorted(set(doc) - {"exercise"})
    if extra:
        raise LibraryError(path, extra[0], "unknown top-level key; use [[exercise]] tables")
    tables = doc.get("exercise")
    if not isinstance(tables, list) or not tables:
        raise LibraryError(path, "exercise", "expected one or more [[exercise]] tables")
    return tables


def _parse_exercise(raw: Any, where: str) -> Exercise:
    if not isinstance(raw, dict):
        raise LibraryError(where, "exercise", "expected a table")
    slug = raw.get("slug")
    if isinstance(slug, str) and _SLUG.fullmatch(slug):
        where = slug
    read = _Reader(raw, where)
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise LibraryError(where, unknown[0], "unknown field")
    for key in _REQUIRED:
        if key not in raw:
            raise LibraryError(where, key, "missing required field")

    slug = read.slug("slug")
    phase = read.choice("phase", PHASES)
    targets = read.ids("targets", MUSCLES, "muscle id", at_least=1)
    patterns = read.ids("patterns", PATTERNS, "pattern id")
    position = read.choice("position", POSITIONS)
    tags = read.ids("tags", SAFETY_TAGS, "safety tag")
    reps = read.integer("reps", REPS_RANGE, required=False)
    hold_s = read.integer("hold_s", HOLD_RANGE, required=False)
    tempo = read.tempo("tempo")
    cues = read.texts("cues", CUES_RANGE)
    regression = read.slug("regression", required=False)
    progression = read.slug("progression", required=False)

    if phase == "integrate" and not patterns:
        raise LibraryError(where, "patterns", "an integrate exercise needs at least one pattern")
    for implied in POSITION_TAGS.get(position, ()):
        if implied not in tags:
            raise LibraryError(where, "tags", f"position {position!r} needs the {implied!r} tag")
    if reps is None and hold_s is None:
        raise LibraryError(where, "reps", "give reps, hold_s or both")
    if phase in ("inhibit", "lengthen") and hold_s is None:
        raise LibraryError(where, "hold_s", f"a {phase} exercise is held; give hold_s")
    if tempo is not None and reps is None:
        raise LibraryError(where, "tempo", "a tempo describes a rep; give reps too")
    for key, other in (("regression", regression), ("progression", progression)):
        if other == slug:
            raise LibraryError(where, key, "an exercise cannot refer to itself")

    return Exercise(
        slug=slug,
        name=read.text("name"),
        phase=phase,
        targets=targets,
        patterns=patterns,
        regions=tuple(r for r in REGIONS if r in {muscle_region(t) for t in targets}),
        equipment=read.texts("equipment", (0, 10)),
        position=position,
        populations=frozenset(read.ids("populations", POPULATIONS, "population", at_least=1)),
        tags=frozenset(tags),
        sets=read.integer("sets", SETS_RANGE),
        reps=reps,
        hold_s=hold_s,
        tempo=tempo,
        cues=cues,
        regression=regression,
        progression=progression,
        source=read.choice("source", SOURCES),
        level=read.integer("level", LEVEL_RANGE),
    )


class _Reader:
    """Typed access to one raw exercise table; every failure names the field."""

    def __init__(self, raw: dict, where: str) -> None:
        self.raw = raw
        self.where = where

    def fail(self, key: str, message: str) -> LibraryError:
        return LibraryError(self.where, key, message)

    def text(self, key: str, *, max_chars: int = 80) -> str:
        value = self.raw[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        if value != value.strip() or len(value) > max_chars:
            raise self.fail(key, f"expected trimmed text of at most {max_chars} characters")
        return value

    def slug(self, key: str, *, required: bool = True) -> str | None:
        if not required and key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, str) or not _SLUG.fullmatch(value):
            raise self.fail(key, f"expected a kebab-case slug, got {value!r}")
        return value

    def choice(self, key: str, allowed: Collection[str]) -> str:
        value = self.raw[key]
        if not isinstance(value, str):
            raise self.fail(key, "expected a string")
        if value not in allowed:
            raise self.fail(key, f"unknown value {value!r}; expected one of {', '.join(allowed)}")
        return value

    def ids(self, key: str, allowed: Collection[str], what: str, *, at_least: int = 0):
        values = self.raw.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(key, "expected a list of strings")
        if len(values) < at_least:
            raise self.fail(key, f"expected at least {at_least} value(s)")
        for value in values:
            if value not in allowed:
                listed = (
                    f"; expected one of {', '.join(sorted(allowed))}" if len(allowed) < 20 else ""
                )
                raise self.fail(key, f"unknown {what} {value!r}{listed}")
        if len(set(values)) != len(values):
            raise self.fail(key, "lists a value twice")
        return tuple(values)

    def texts(self, key: str, count: tuple[int, int]) -> tuple[str, ...]:
        values = self.raw[key]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(key, "expected a list of strings")
        low, high = count
        if not low <= len(values) <= high:
            raise self.fail(key, f"expected {low} to {high} items, got {len(values)}")
        for value in values:
            if not value.strip() or value != value.strip() or len(value) > CUE_MAX_CHARS:
                raise self.fail(key, f"each item must be trimmed, 1-{CUE_MAX_CHARS} characters")
        if len(set(values)) != len(values):
            raise self.fail(key, "lists a value twice")
        return tuple(values)

    def integer(self, key: str, bounds: tuple[int, int], *, required: bool = True) -> int | None:
        if not required and key not in self.raw:
            return None
        value = self.raw[key]
        # bool is an int subclass; `sets = true` is a typo, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        low, high = bounds
        if not low <= value <= high:
            raise self.fail(key, f"expected {low} to {high}, got {value}")
        return value

    def tempo(self, key: str) -> str | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, str) or not _TEMPO.fullmatch(value):
            raise self.fail(
                key, f'expected seconds as "lower/hold/lift" like "4/2/2", got {value!r}'
            )
        return value


def _check_links(exercises: Mapping[str, Exercise]) -> None:
    for exercise in exercises.values():
        for key, easier in (("regression", True), ("progression", False)):
            slug = getattr(exercise, key)
            if slug is None:
                continue
            other = exercises.get(slug)
            if other is None:
                raise LibraryError(exercise.slug, key, f"no exercise with slug {slug!r}")
            if easier and other.level >= exercise.level:
                raise LibraryError(
                    exercise.slug, key, f"{slug!r} must have a lower level than {exercise.level}"
                )
            if not easier and other.level <= exercise.level:
                raise LibraryError(
                    exercise.slug, key, f"{slug!r} must have a higher level than {exercise.level}"
                )


def _version(exercises: Iterable[Exercise]) -> str:
    canonical = [_plain(exercise) for exercise in exercises]
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def _plain(exercise: Exercise) -> dict[str, Any]:
    row = {f.name: getattr(exercise, f.name) for f in fields(Exercise)}
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in row.items()}


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
    return parse_library({"database": {"exercise": [dict(r) for r in records]}})
