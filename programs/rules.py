"""Rule tables, safety rules and population profiles: versioned TOML data, validated here (pure).

The files live in ``programs/data/`` (``rules/*.toml``, ``safety.toml``, ``profiles.toml``).
Every id, finding code, muscle, pattern, tag, population, referral reason and source is
checked when the files are parsed, so a typo fails at load time instead of silently
producing a different program. Conventions used by the files:

- ``*_from`` bounds are inclusive and ``*_before`` bounds exclusive ("before 12 weeks").
- ``min_severity`` applies to banded findings; a yes/no finding (``present``) always passes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from assessments.findings import FINDING_CODES as ALL_FINDING_CODES
from assessments.findings import (
    FINDING_LABELS,
    REFERRAL_REASONS,
    REGIONS,
    Finding,
    Severity,
)
from assessments.muscles import MUSCLES, PATTERNS
from assessments.sources import Source, bibliography
from clients.population import Population
from core.data_files import DataFileError, Table, content_digest, read_toml, shipped_by_default
from programs.library import SAFETY_TAGS

DATA_DIR = Path(__file__).resolve().parent / "data"

# The corrective exercise continuum, in order [OEP-CEx] (reference.md §2.1).
CONTINUUM = ("inhibit", "lengthen", "activate", "integrate")
# Continuum steps whose rule targets are muscle ids; ``integrate`` targets pattern ids.
MUSCLE_STEPS = ("inhibit", "lengthen", "activate")
POPULATIONS = tuple(p.value for p in Population)
SEVERITY_RANK = {Severity.MILD: 1, Severity.MODERATE: 2, Severity.SEVERE: 3}

# The finding vocabulary is declared once, in assessments.findings.
STATIC_FINDING_CODES = tuple(FINDING_LABELS)
FINDING_CODES = frozenset(ALL_FINDING_CODES)

_LABEL = re.compile(r"^\d{4}\.\d+$")
_REASON = re.compile(r"^[a-z][a-z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID_PATTERNS = {
    "rule": re.compile(r"^R-[A-Z0-9]+(-[A-Z0-9]+)*-\d{2}$"),
    "safety": re.compile(r"^S-[A-Z0-9]+(-[A-Z0-9]+)*-\d{2}$"),
    "general": re.compile(r"^G-[A-Z0-9]+(-[A-Z0-9]+)*-\d{2}$"),
}


# The old name, kept until programs/admin.py imports DataFileError (the one error type).


@dataclass(frozen=True)
class RuleFacts:
    """What a condition may look at: the client on the assessment date, and the findings."""

    population: str
    age: int
    findings: tuple[Finding, ...] = ()
    weeks_postpartum: float | None = None
    delivery_type: str | None = None
    pain_regions: frozenset[str] = frozenset()  # REGIONS with pain or growth-related pain
    parq_positive: bool = False
    clearance_recorded: bool = False


@dataclass(frozen=True)
class Condition:
    """When a rule applies. Every stated part must hold; unstated parts are not checked."""

    any_of: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    min_severity: Severity | None = None
    populations: tuple[str, ...] = ()
    age_from: int | None = None
    age_before: int | None = None
    weeks_postpartum_from: float | None = None
    weeks_postpartum_before: float | None = None
    delivery_types: tuple[str, ...] = ()
    pain_regions: tuple[str, ...] = ()
    parq_positive: bool | None = None
    clearance_recorded: bool | None = None

    def match(self, facts: RuleFacts) -> tuple[str, ...] | None:
        """The finding codes that satisfied the condition (sorted), or None when it fails."""
        if not self._facts_hold(facts):
            return None
        present = {f.code for f in facts.findings if self._severe_enough(f)}
        matched_any = {code for code in self.any_of if code in present}
        if self.any_of and not matched_any:
            return None
        if any(code not in present for code in self.all_of):
            return None
        return tuple(sorted(matched_any | set(self.all_of)))

    def _facts_hold(self, facts: RuleFacts) -> bool:
        if self.populations and facts.population not in self.populations:
            return False
        if not _within(facts.age, self.age_from, self.age_before):
            return False
        if (self.weeks_postpartum_from, self.weeks_postpartum_before) != (None, None) and (
            facts.weeks_postpartum is None
            or not _within(
                facts.weeks_postpartum, self.weeks_postpartum_from, self.weeks_postpartum_before
            )
        ):
            return False
        if self.delivery_types and facts.delivery_type not in self.delivery_types:
            return False
        if self.pain_regions and not facts.pain_regions.intersection(self.pain_regions):
            return False
        if self.parq_positive not in (None, facts.parq_positive):
            return False
        return self.clearance_recorded in (None, facts.clearance_recorded)

    def _severe_enough(self, finding: Finding) -> bool:
        if self.min_severity is None or finding.severity not in SEVERITY_RANK:
            return True
        return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.min_severity]


def _within(value: float, start: float | None, before: float | None) -> bool:
    """start <= value < before, either bound optional."""
    return (start is None or value >= start) and (before is None or value < before)


@dataclass(frozen=True)
class Action:
    """What a rule asks for: muscles per continuum step, patterns to integrate, a priority."""

    inhibit: tuple[str, ...] = ()
    lengthen: tuple[str, ...] = ()
    activate: tuple[str, ...] = ()
    integrate: tuple[str, ...] = ()  # pattern ids
    priority: int = 0
    advice: str | None = None  # for rules that change no exercise (refer, measure, modify)
    # Library slugs the reference names as such (e.g. the postnatal strength and
    # load-and-impact tests, §7.2): each one is wanted at its own library phase.
    exercises: tuple[str, ...] = ()

    def targets(self, step: str) -> tuple[str, ...]:
        """Muscle ids (or, for ``integrate``, pattern ids) wanted at one continuum step."""
        return getattr(self, step)


@dataclass(frozen=True)
class Rule:
    """One corrective rule row: when it fires, what it asks for, and why."""

    id: str
    when: Condition
    then: Action
    rationale: str
    sources: tuple[str, ...]
    practice_default: bool


@dataclass(frozen=True)
class SafetyRule:
    """Excludes exercises by safety tag (and may require a referral) when its condition holds."""

    id: str
    when: Condition
    exclude_tags: tuple[str, ...]
    reason: str  # snake_case code shown in ``excluded[].reason``
    referral: str | None
    rationale: str
    sources: tuple[str, ...]
    practice_default: bool
    # When true the exclusion only reaches exercises loading a region with reported pain.
    pain_region_scoped: bool = False


@dataclass(frozen=True)
class PhaseProfile:
    """One phase of a population's program: weeks, dose, cap and the gate to the next phase."""

    key: str
    title: str
    weeks: tuple[int, int]
    sessions_per_week: int
    max_exercises: int
    covers: tuple[str, ...]  # continuum steps a merged/added phase stands for; () otherwise
    sets: int | None
    reps: int | None
    hold_s: int | None
    tempo: str | None
    progression: str
    sources: tuple[str, ...]
    practice_default: bool

    @property
    def steps(self) -> tuple[str, ...]:
        """The continuum steps (and library phases) this phase draws exercises from."""
        return self.covers or (self.key,)


@dataclass(frozen=True)
class Profile:
    """A population's program shape and its general program for when nothing else applies."""

    population: str
    title: str
    retest_weeks: int
    retest: str  # what the re-assessment repeats, in plain words
    retest_sources: tuple[str, ...]
    phases: tuple[PhaseProfile, ...]
    general: Rule


@dataclass(frozen=True)
class Ruleset:
    version: str
    rules: tuple[Rule, ...]
    safety: tuple[SafetyRule, ...]
    profiles: Mapping[str, Profile]
    sources: Mapping[str, Source]

    def all_ids(self) -> tuple[str, ...]:
        """Every rule, safety rule and general-program id, sorted."""
        general = [p.general.id for p in self.profiles.values()]
        return tuple(sorted([r.id for r in self.rules] + [s.id for s in self.safety] + general))


def _cited_ids(table: Table, key: str, registry: Mapping[str, Source]) -> tuple[str, ...]:
    """Source ids (one id may be written as a bare string), at least one, all in the registry."""
    if isinstance(table.peek(key), str):
        table.data[key] = [table.data[key]]
    found = table.ids(key, registry, "source id (see assessments/data/sources.toml)", required=True)
    if not found:
        table.fail(key, "must cite at least one source id")
    return found


def _condition(table: Table, *, need_some: bool) -> Condition:
    condition = Condition(
        any_of=table.ids("any", FINDING_CODES, "finding code"),
        all_of=table.ids("all", FINDING_CODES, "finding code"),
        min_severity=_severity(table),
        populations=table.ids("populations", POPULATIONS, "population"),
        age_from=table.integer("age_from", 0, 120, required=False),
        age_before=table.integer("age_before", 1, 121, required=False),
        weeks_postpartum_from=table.number("weeks_postpartum_from", 0, 60),
        weeks_postpartum_before=table.number("weeks_postpartum_before", 0, 60),
        delivery_types=table.ids("delivery_types", ("vaginal", "caesarean"), "delivery type"),
        pain_regions=table.ids("pain_regions", REGIONS, "body region"),
        parq_positive=table.flag("parq_positive"),
        clearance_recorded=table.flag("clearance_recorded"),
    )
    table.done()
    if need_some and condition == Condition():
        table.fail("any", "a condition must state at least one test")
    if condition.min_severity and not (condition.any_of or condition.all_of):
        table.fail("min_severity", "needs finding codes in any/all to apply to")
    return condition


def _severity(table: Table) -> Severity | None:
    if not table.has("min_severity"):
        return None
    return Severity(table.choice("min_severity", [str(s) for s in SEVERITY_RANK]))


def _action(table: Table, *, with_priority: bool = True) -> Action:
    return Action(
        inhibit=table.ids("inhibit", MUSCLES, "muscle id"),
        lengthen=table.ids("lengthen", MUSCLES, "muscle id"),
        activate=table.ids("activate", MUSCLES, "muscle id"),
        integrate=table.ids("integrate", PATTERNS, "pattern id"),
        priority=table.integer("priority", 0, 100) if with_priority else 0,
        advice=table.text("advice", required=False),
        exercises=_slugs(table, "exercises") if with_priority else (),
    )


def _slugs(table: Table, key: str) -> tuple[str, ...]:
    """Exercise slugs named by a rule; the library itself is checked against them in tests
    and by the engine (the ruleset is parsed without the library)."""
    value = table.strings(key, "exercise slugs") or []
    for index, item in enumerate(value):
        if not _SLUG.match(item):
            table.fail(f"{key}[{index}]", "must be a kebab-case exercise slug")
    return tuple(value)


def _check_id(table: Table, kind: str, seen: dict[str, str]) -> str:
    rule_id = table.text("id")
    if not _ID_PATTERNS[kind].match(rule_id):
        table.fail("id", f"{rule_id!r} does not look like {kind} id (e.g. R-FHP-01, S-PP-01)")
    if rule_id in seen:
        table.fail("id", f"{rule_id} is already used in {seen[rule_id]}")
    seen[rule_id] = table.file
    return rule_id


def _cited(table: Table, registry: Mapping[str, Source]) -> tuple[tuple[str, ...], bool, str]:
    rationale = table.text("rationale")
    sources = _cited_ids(table, "source", registry)
    practice_default = table.flag("practice_default", default=None)
    if practice_default is None:
        table.fail("practice_default", "is required (true when the row rests on a derived figure)")
    second_hand = [s for s in sources if not registry[s].retrieved]
    if second_hand and not practice_default:
        table.fail("practice_default", f"must be true: {second_hand[0]} was never retrieved")
    return sources, practice_default, rationale


def _rule(table: Table, registry: Mapping[str, Source], seen: dict[str, str]) -> Rule:
    rule_id = _check_id(table, "rule", seen)
    when = _condition(table.table("when"), need_some=True)
    then_table = table.table("then")
    then = _action(then_table)
    then_table.done()
    if not any(then.targets(step) for step in CONTINUUM) and not then.exercises and not then.advice:
        then_table.fail("advice", "a rule that targets nothing must give advice")
    sources, practice_default, rationale = _cited(table, registry)
    table.done()
    return Rule(rule_id, when, then, rationale, sources, practice_default)


def _safety(
    table: Table, registry: Mapping[str, Source], seen: dict[str, str], reasons: set[str]
) -> SafetyRule:
    rule_id = _check_id(table, "safety", seen)
    when = _condition(table.table("when"), need_some=True)
    tags = table.ids("exclude_tags", SAFETY_TAGS, "safety tag")
    reason = table.text("reason")
    if not _REASON.match(reason):
        table.fail("reason", "must be a snake_case code")
    if reason in reasons:
        table.fail("reason", f"{reason!r} is used by another safety rule")
    reasons.add(reason)
    referral = table.choice("referral", REFERRAL_REASONS) if table.has("referral") else None
    if not tags and referral is None:
        table.fail("exclude_tags", "a safety rule must exclude tags or require a referral")
    scoped = table.flag("pain_region_scoped", default=False)
    if scoped and not (tags and ("pain" in when.any_of + when.all_of or when.pain_regions)):
        table.fail("pain_region_scoped", "needs exclude_tags and a pain condition")
    sources, practice_default, rationale = _cited(table, registry)
    table.done()
    return SafetyRule(
        rule_id, when, tags, reason, referral, rationale, sources, practice_default, scoped
    )


def _phase(table: Table, registry: Mapping[str, Source], profile_defaults: dict) -> PhaseProfile:
    key = table.text("key")
    covers = table.ids("covers", CONTINUUM, "continuum step")
    if key in CONTINUUM and covers:
        table.fail("covers", "only an added or merged phase lists the steps it covers")
    if key not in CONTINUUM and not covers:
        table.fail("covers", f"phase {key!r} is not a continuum step, so it must list covers")
    if not _REASON.match(key):
        table.fail("key", "must be a snake_case key")
    weeks = table.take("weeks", list, "[first, last] week numbers", required=True)
    if len(weeks) != 2 or not all(isinstance(w, int) and not isinstance(w, bool) for w in weeks):
        table.fail("weeks", "must be [first, last] whole week numbers")
    if not 1 <= weeks[0] <= weeks[1] <= profile_defaults["retest_weeks"]:
        table.fail("weeks", "must run within week 1 to the re-test week")
    sessions = table.integer("sessions_per_week", 1, 7, required=False)
    phase = PhaseProfile(
        key=key,
        title=table.text("title"),
        weeks=(weeks[0], weeks[1]),
        sessions_per_week=sessions or profile_defaults["sessions_per_week"],
        max_exercises=table.integer("max_exercises", 1, 8),
        covers=covers,
        sets=table.integer("sets", 1, 6, required=False),
        reps=table.integer("reps", 1, 30, required=False),
        hold_s=table.integer("hold_s", 1, 120, required=False),
        tempo=table.text("tempo", required=False),
        progression=table.text("progression"),
        sources=_cited_ids(table, "source", registry),
        practice_default=bool(table.flag("practice_default", default=False)),
    )
    table.done()
    return phase


def _profile(
    table: Table, population: str, registry: Mapping[str, Source], seen: dict[str, str]
) -> Profile:
    title = table.text("title")
    defaults = {
        "sessions_per_week": table.integer("sessions_per_week", 1, 7),
        "retest_weeks": table.integer("retest_weeks", 1, 12),
    }
    retest = table.text("retest")
    retest_sources = _cited_ids(table, "retest_source", registry)
    phases = tuple(_phase(t, registry, defaults) for t in table.tables("phase"))
    steps = [step for phase in phases for step in phase.steps]
    if tuple(steps) != CONTINUUM:
        table.fail("phase", "phases must cover each continuum step once, in order")
    if len({p.key for p in phases}) != len(phases):
        table.fail("phase", "phase keys must be unique")
    general_table = table.table("general")
    general_id = _check_id(general_table, "general", seen)
    general_action = _action(general_table, with_priority=False)
    sources, practice_default, rationale = _cited(general_table, registry)
    general_table.done()
    missing = [step for step in CONTINUUM if not general_action.targets(step)]
    if missing:
        general_table.fail(missing[0], "the general program must target every continuum step")
    general = Rule(
        general_id,
        Condition(populations=(population,)),
        general_action,
        rationale,
        sources,
        practice_default,
    )
    table.done()
    return Profile(
        population, title, defaults["retest_weeks"], retest, retest_sources, phases, general
    )


def _sources(docs: Mapping[str, Mapping]) -> tuple[dict[str, Source], str]:
    """The citable sources (the bibliography, assessments/data/sources.toml) and the label.

    Rows cite sources by id; their citations are declared once, in the bibliography. The
    ``[[source]]`` tables that ruleset versions stored before it still carry are ignored.
    """
    registry: dict[str, Source] = dict(bibliography())
    label = None
    for path in sorted(docs):
        doc = Table(docs[path], file=path, what="a TOML document")
        meta = doc.table("ruleset", required=False)
        if meta is not None:
            if label is not None:
                meta.fail("label", "the ruleset label is declared twice")
            label = meta.text("label")
            if not _LABEL.match(label):
                meta.fail("label", "must look like 2026.1")
            meta.done()
    if label is None:
        raise DataFileError("(all files)", "ruleset.label", "no file declares [ruleset] label")
    return registry, label


def parse_ruleset(docs: Mapping[str, Mapping]) -> Ruleset:
    """Validate parsed TOML documents (keyed by relative path) into a Ruleset."""
    registry, label = _sources(docs)
    seen: dict[str, str] = {}
    reasons: set[str] = set()
    rules: list[Rule] = []
    safety: list[SafetyRule] = []
    profiles: dict[str, Profile] = {}
    for path in sorted(docs):
        doc = Table(docs[path], file=path, what="a TOML document")
        doc.data.pop("ruleset", None)
        doc.data.pop("source", None)
        rules += [_rule(t, registry, seen) for t in doc.tables("rule")]
        safety += [_safety(t, registry, seen, reasons) for t in doc.tables("safety")]
        profile_table = doc.table("profile", required=False)
        if profile_table is not None:
            for population in sorted(profile_table.data):
                if population not in POPULATIONS:
                    profile_table.fail(population, "unknown population")
                if population in profiles:
                    profile_table.fail(population, "profile declared twice")
                profiles[population] = _profile(
                    profile_table.table(population), population, registry, seen
                )
        doc.done()
    missing = [p for p in POPULATIONS if p not in profiles]
    if missing:
        raise DataFileError("profiles.toml", f"profile.{missing[0]}", "no profile for population")
    return Ruleset(
        # The parsed content, not the bytes: comments and layout do not change what the
        # rules do, every value (and the file a row sits in) does.
        version=f"{label}+{content_digest(docs, default=str)[:8]}",
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        safety=tuple(sorted(safety, key=lambda s: s.id)),
        # Read-only views: the shipped ruleset is cached and shared by every caller.
        profiles=MappingProxyType({p: profiles[p] for p in POPULATIONS}),
        sources=MappingProxyType(registry),
    )


def read_documents(directory: Path) -> dict[str, dict]:
    """The ruleset files under a data directory, parsed, keyed by relative posix path."""
    paths = [directory / "profiles.toml", directory / "safety.toml"]
    paths += sorted((directory / "rules").glob("*.toml"))
    return {
        (relative := path.relative_to(directory).as_posix()): read_toml(path, relative)
        for path in paths
    }


@shipped_by_default(DATA_DIR)
def load_ruleset(directory: Path) -> Ruleset:
    """The shipped ruleset (cached), or the one under ``directory`` (read afresh)."""
    return parse_ruleset(read_documents(directory))
