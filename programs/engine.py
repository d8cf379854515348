"""The rule engine: one validated case in, one program draft out (pure, deterministic).

Steps: interpret the measures; decide the referral; fire the rules whose conditions hold;
gather the muscles and patterns they ask for per continuum step; fill each phase of the
population's profile from the exercise library; drop what the safety rules exclude.

Conflict priority, highest first. Nothing depends on file or dictionary order.

1. Safety exclusions always win. An exercise carrying a tag excluded by a fired safety
   rule is never chosen; the first safe exercise down its regression chain takes its place.
2. A muscle one rule wants released (inhibit/lengthen) and another wants activated goes to
   the claim with the higher rule priority, then the one backed by more findings; on a tie
   the release is kept, because the continuum releases before it activates [OEP-CEx].
3. Within a phase, exercises are picked one at a time, each covering targets not yet
   covered: higher rule priority first, then more matched finding codes behind it, then
   the easier level (a block starts easy; progression moves up the ladder), then more new
   targets, then slug in alphabetical order.
4. A phase holds at most the profile's ``max_exercises``. A phase no rule asks for (or
   left empty) gets the population's general program, so a draft is never empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments.findings import REFERRAL_REASONS, Finding, Referral
from assessments.interpret import interpret, referral_for
from assessments.measures import measure_label
from assessments.muscles import PATTERNS, muscle_label
from assessments.posture import GAIT, OHS
from programs.case import Case, draft_to_dict, parse_case
from programs.library import Exercise, Library, load_library
from programs.rules import (
    CONTINUUM,
    PhaseProfile,
    Rule,
    RuleFacts,
    Ruleset,
    SafetyRule,
    load_ruleset,
)

MAX_REGRESSION_STEPS = 10  # a guard against a cycle in the library's regression links
_VERBS = {
    "inhibit": "Releases",
    "lengthen": "Stretches",
    "activate": "Activates",
    "integrate": "Practises",
}


@dataclass(frozen=True)
class DraftExercise:
    slug: str
    name: str
    sets: int | None
    reps: int | None
    hold_s: int | None
    tempo: str | None
    tags: tuple[str, ...]
    rules: tuple[str, ...]  # rule ids that put it here
    findings: tuple[str, ...]  # finding codes behind those rules
    why: str


@dataclass(frozen=True)
class DraftPhase:
    key: str
    title: str
    weeks: tuple[int, int]
    sessions_per_week: int
    exercises: tuple[DraftExercise, ...]
    covers: tuple[str, ...]
    progression: str


@dataclass(frozen=True)
class Exclusion:
    slug: str
    reason: str
    rule: str
    tags: tuple[str, ...]  # the exercise's tags that the fired safety rules exclude
    also: tuple[str, ...] = ()  # other safety rules that exclude it too


@dataclass(frozen=True)
class FiredRule:
    """A rule that applied to this case, for the audit trail shown to the specialist."""

    id: str
    kind: str  # "rule" | "safety" | "general"
    findings: tuple[str, ...]
    rationale: str
    sources: tuple[str, ...]
    practice_default: bool
    advice: str | None = None


@dataclass(frozen=True)
class Draft:
    ruleset_version: str
    library_version: str
    population: str
    findings: tuple[Finding, ...]
    referral: Referral
    publishable: bool
    phases: tuple[DraftPhase, ...]
    excluded: tuple[Exclusion, ...]
    fired: tuple[FiredRule, ...]
    retest_weeks: int
    retest: str
    notes: tuple[str, ...]  # conflicts the engine resolved, in words


@dataclass(frozen=True)
class _Claim:
    """One rule's wish for one target at one continuum step."""

    rule: str
    priority: int
    findings: tuple[str, ...]


# step -> target (muscle or pattern id) -> claims, highest priority first
Wanted = dict[str, dict[str, list[_Claim]]]


def _rule_facts(case: Case, findings: tuple[Finding, ...]) -> RuleFacts:
    return RuleFacts(
        population=str(case.population),
        age=case.age,
        findings=findings,
        weeks_postpartum=case.weeks_postpartum,
        delivery_type=case.facts.delivery_type,
        pain_regions=frozenset(f.region for f in findings if f.code == "pain"),
        parq_positive=bool(case.facts.parq_yes),
        clearance_recorded=case.facts.clearance_recorded,
    )


def _wanted(fired: Iterable[tuple[Rule, tuple[str, ...]]]) -> Wanted:
    wanted: Wanted = {step: {} for step in CONTINUUM}
    for rule, matched in fired:
        for step in CONTINUUM:
            for target in rule.then.targets(step):
                claim = _Claim(rule.id, rule.then.priority, matched)
                wanted[step].setdefault(target, []).append(claim)
    for targets in wanted.values():
        for claims in targets.values():
            claims.sort(key=lambda c: (-c.priority, -len(c.findings), c.rule))
    return wanted


def _strength(claims: list[_Claim]) -> tuple[int, int]:
    return max((c.priority, len(c.findings)) for c in claims)


def _resolve_conflicts(wanted: Wanted) -> tuple[Wanted, list[str]]:
    """A muscle both released and activated keeps only the stronger side (module docstring, 2)."""
    notes = []
    released = set(wanted["inhibit"]) | set(wanted["lengthen"])
    for muscle in sorted(released & set(wanted["activate"])):
        release = wanted["inhibit"].get(muscle, []) + wanted["lengthen"].get(muscle, [])
        activate = wanted["activate"][muscle]
        label = muscle_label(muscle)
        release_ids = ", ".join(sorted({c.rule for c in release}))
        activate_ids = ", ".join(sorted({c.rule for c in activate}))
        if _strength(activate) > _strength(release):
            for step in ("inhibit", "lengthen"):
                wanted[step].pop(muscle, None)
            notes.append(
                f"{label}: activated ({activate_ids}) rather than released ({release_ids}), "
                "by rule priority and number of findings."
            )
        else:
            del wanted["activate"][muscle]
            notes.append(
                f"{label}: released ({release_ids}) rather than activated ({activate_ids}); "
                "the continuum releases before it activates."
            )
    return wanted, notes


def _general_wanted(rule: Rule) -> Wanted:
    claim = _Claim(rule.id, 0, ())
    return {step: {t: [claim] for t in rule.then.targets(step)} for step in CONTINUUM}


class _Safety:
    """The fired safety rules, asked exercise by exercise."""

    def __init__(self, fired: list[tuple[SafetyRule, tuple[str, ...]]], pain_regions: frozenset):
        self.fired = [rule for rule, _ in fired]
        self.pain_regions = pain_regions

    def _reaches(self, rule: SafetyRule, exercise: Exercise) -> bool:
        if not rule.pain_region_scoped:
            return True
        # Pain somewhere unnamed ("whole_body") or a whole-body exercise: assume it loads it.
        if "whole_body" in self.pain_regions or "whole_body" in exercise.regions:
            return bool(self.pain_regions)
        return bool(self.pain_regions.intersection(exercise.regions))

    def exclusion(self, exercise: Exercise) -> Exclusion | None:
        """Why the exercise is excluded (the first fired safety rule by id), or None."""
        hits = [
            (rule, set(rule.exclude_tags) & set(exercise.tags))
            for rule in self.fired
            if set(rule.exclude_tags) & set(exercise.tags) and self._reaches(rule, exercise)
        ]
        if not hits:
            return None
        first, _ = hits[0]
        return Exclusion(
            slug=exercise.slug,
            reason=first.reason,
            rule=first.id,
            tags=tuple(sorted(set().union(*(tags for _, tags in hits)))),
            also=tuple(rule.id for rule, _ in hits[1:]),
        )


def _hits(exercise: Exercise, wanted: Wanted) -> frozenset[tuple[str, str]]:
    """The (step, target) pairs of the wanted set this exercise works on."""
    if exercise.phase not in wanted:
        return frozenset()
    offered = exercise.patterns if exercise.phase == "integrate" else exercise.targets
    return frozenset((exercise.phase, t) for t in offered if t in wanted[exercise.phase])


def _claims(pairs: Iterable[tuple[str, str]], wanted: Wanted) -> list[_Claim]:
    return [claim for step, target in sorted(pairs) for claim in wanted[step][target]]


def _rank(exercise: Exercise, new: frozenset, wanted: Wanted) -> tuple:
    claims = _claims(new, wanted)
    findings = {code for claim in claims for code in claim.findings}
    priority = max(claim.priority for claim in claims)
    return (-priority, -len(findings), exercise.level, -len(new), exercise.slug)


def _target_text(step: str, target: str) -> str:
    if step == "integrate":
        return PATTERNS.get(target, target).lower()
    return muscle_label(target).lower()


def _finding_text(code: str) -> str:
    """A finding code in words, with the vocabulary's own labels where it has them."""
    if code.startswith("ohs_") and code[4:] in OHS:
        return f"overhead squat: {OHS[code[4:]].label.lower()}"
    if code.startswith("gait_") and code[5:] in GAIT:
        return f"walking: {GAIT[code[5:]].label.lower()}"
    if code.startswith("senior_below_norm_"):
        return f"{measure_label('senior.' + code[18:]).lower()} below the norm"
    return code.replace("_", " ")


def _why(pairs: frozenset, wanted: Wanted, population: str, replaced: tuple | None) -> str:
    by_step: dict[str, list[str]] = {}
    for step, target in sorted(pairs, key=lambda p: (CONTINUUM.index(p[0]), p[1])):
        by_step.setdefault(step, []).append(_target_text(step, target))
    actions = "; ".join(f"{_VERBS[step]} {', '.join(names)}" for step, names in by_step.items())
    # One reason per distinct set of findings, strongest rule first, naming every rule id.
    grouped: dict[tuple[str, ...], list[_Claim]] = {}
    for claim in sorted(_claims(pairs, wanted), key=lambda c: (-c.priority, c.rule)):
        grouped.setdefault(claim.findings, []).append(claim)
    reasons = []
    for findings, claims in grouped.items():
        ids = ", ".join(dict.fromkeys(c.rule for c in claims))
        if claims[0].rule.startswith("G-"):
            reasons.append(f"the general {population} program ({ids})")
        elif findings:
            reasons.append(f"{', '.join(map(_finding_text, findings))} ({ids})")
        else:
            reasons.append(f"the {population} stage ({ids})")
    text = f"{actions}, for {'; '.join(reasons)}."
    if replaced:
        original, exclusion = replaced
        text = (
            f"Easier version of {original.name}, which {exclusion.rule} leaves out "
            f"({exclusion.reason.replace('_', ' ')}). {text}"
        )
    return text


def _dose(phase: PhaseProfile, exercise: Exercise) -> tuple:
    """Sets, reps, hold and tempo: the profile's value where it applies, else the exercise's.

    Held positions take the profile's hold; plain repetitions take its reps, and its tempo
    when the exercise is tempo-driven (breaths, steps and contacts have none). Timed
    repetitions (reps and a hold each, e.g. carries, pelvic-floor holds) keep their own.
    """
    sets = phase.sets if phase.sets is not None else exercise.sets
    reps, hold, tempo = exercise.reps, exercise.hold_s, exercise.tempo
    if reps is None:
        hold = phase.hold_s if phase.hold_s is not None else hold
    elif hold is None:
        reps = phase.reps if phase.reps is not None else reps
        if tempo is not None and phase.tempo is not None:
            tempo = phase.tempo
    return sets, reps, hold, tempo


class _PhaseBuilder:
    """Fills one phase from the library; shares exclusions and chosen slugs across phases."""

    def __init__(self, library: Library, population: str, safety: _Safety):
        self.library, self.population, self.safety = library, population, safety
        self.chosen: set[str] = set()
        self.excluded: dict[str, Exclusion] = {}

    def _suits(self, exercise: Exercise) -> bool:
        return self.population in exercise.populations and exercise.slug not in self.chosen

    def _blocked(self, exercise: Exercise) -> Exclusion | None:
        exclusion = self.safety.exclusion(exercise)
        if exclusion is not None:
            self.excluded.setdefault(exercise.slug, exclusion)
        return exclusion

    def _safe_regression(self, exercise: Exercise) -> Exercise | None:
        seen = {exercise.slug}
        current = exercise
        for _ in range(MAX_REGRESSION_STEPS):
            if not current.regression or current.regression in seen:
                return None
            current = self.library.get(current.regression)
            if current is None:
                return None
            seen.add(current.slug)
            if self._suits(current) and self._blocked(current) is None:
                return current
        return None

    def _ladder(self, exercise: Exercise) -> set[str]:
        """The exercise and every rung above and below it (regression/progression links)."""
        ladder = {exercise.slug}
        for link in ("regression", "progression"):
            current = exercise
            for _ in range(MAX_REGRESSION_STEPS):
                slug = getattr(current, link)
                if not slug or slug in ladder or (current := self.library.get(slug)) is None:
                    break
                ladder.add(slug)
        return ladder

    def build(self, phase: PhaseProfile, wanted: Wanted) -> list[DraftExercise]:
        """Cover every wanted target first; then fill the free places with more of the same."""
        pool = {}
        for exercise in self.library:
            if self._suits(exercise) and _hits(exercise, wanted):
                pool[exercise.slug] = exercise
                self._blocked(exercise)  # every excluded candidate is listed, chosen or not
        uncovered = {(step, t) for step in wanted for t in wanted[step]}
        picked: list[DraftExercise] = []
        ladders: set[str] = set()
        while len(picked) < phase.max_exercises and pool:
            covering = [ex for ex in pool.values() if _hits(ex, wanted) & uncovered]
            if covering:
                ranked = sorted(
                    (_rank(ex, _hits(ex, wanted) & uncovered, wanted), ex) for ex in covering
                )
            else:
                # Every target is covered: extra places go to other exercises for the same
                # targets, never a second rung of a ladder already in the phase.
                ranked = sorted(
                    (_rank(ex, _hits(ex, wanted), wanted), ex)
                    for ex in pool.values()
                    if not self._ladder(ex) & ladders
                )
            if not ranked:
                break
            best = ranked[0][1]
            del pool[best.slug]
            exclusion = self.safety.exclusion(best)
            chosen = best if exclusion is None else self._safe_regression(best)
            if chosen is None:
                continue
            pairs = _hits(best, wanted)
            picked.append(self._entry(phase, chosen, pairs, wanted, best, exclusion))
            uncovered -= pairs
            ladders |= self._ladder(best)
            self.chosen.add(chosen.slug)
            pool.pop(chosen.slug, None)
        return picked

    def _entry(self, phase, exercise, pairs, wanted, original, exclusion) -> DraftExercise:
        claims = _claims(pairs, wanted)
        sets, reps, hold_s, tempo = _dose(phase, exercise)
        replaced = (original, exclusion) if exercise is not original else None
        return DraftExercise(
            slug=exercise.slug,
            name=exercise.name,
            sets=sets,
            reps=reps,
            hold_s=hold_s,
            tempo=tempo,
            tags=tuple(sorted(exercise.tags)),
            rules=tuple(sorted({c.rule for c in claims})),
            findings=tuple(sorted({code for c in claims for code in c.findings})),
            why=_why(pairs, wanted, self.population, replaced),
        )


def _referral(base: Referral, safety: list[tuple[SafetyRule, tuple[str, ...]]]) -> Referral:
    """The interpretation's referral plus every reason a fired safety rule adds."""
    reasons = set(base.reasons)
    details = list(base.details)
    for rule, _ in safety:
        if rule.referral and rule.referral not in reasons:
            reasons.add(rule.referral)
            details.append(f"{rule.rationale} ({rule.id})")
    # Vocabulary order; a reason outside the vocabulary is kept, after the known ones.
    known = tuple(r for r in REFERRAL_REASONS if r in reasons)
    return Referral(reasons=known + tuple(sorted(reasons - set(known))), details=tuple(details))


def _fired_record(rule: Rule | SafetyRule, kind: str, matched: tuple[str, ...]) -> FiredRule:
    advice = rule.then.advice if isinstance(rule, Rule) else None
    return FiredRule(
        rule.id, kind, matched, rule.rationale, rule.sources, rule.practice_default, advice
    )


def suggest(case: Case, *, ruleset: Ruleset, library: Library) -> Draft:
    """The program draft for one case under one ruleset and exercise library."""
    findings = tuple(interpret(case.measures, case.facts))
    facts = _rule_facts(case, findings)
    population = str(case.population)
    profile = ruleset.profiles[population]

    fired = [(r, m) for r in ruleset.rules if (m := r.when.match(facts)) is not None]
    fired_safety = [(s, m) for s in ruleset.safety if (m := s.when.match(facts)) is not None]
    referral = _referral(referral_for(case.measures, case.facts, list(findings)), fired_safety)
    wanted, notes = _resolve_conflicts(_wanted(fired))
    general = _general_wanted(profile.general)

    builder = _PhaseBuilder(library, population, _Safety(fired_safety, facts.pain_regions))
    phases = []
    general_used = False
    for phase in profile.phases:
        phase_wanted = {step: wanted[step] for step in phase.steps}
        exercises = builder.build(phase, phase_wanted) if any(phase_wanted.values()) else []
        if not exercises:
            exercises = builder.build(phase, {step: general[step] for step in phase.steps})
            general_used = general_used or bool(exercises)
        phases.append(
            DraftPhase(
                key=phase.key,
                title=phase.title,
                weeks=phase.weeks,
                sessions_per_week=phase.sessions_per_week,
                exercises=tuple(exercises),
                covers=phase.covers,
                progression=phase.progression,
            )
        )

    records = [_fired_record(r, "rule", m) for r, m in fired]
    records += [_fired_record(s, "safety", m) for s, m in fired_safety]
    if general_used:
        records.append(_fired_record(profile.general, "general", ()))
    return Draft(
        ruleset_version=ruleset.version,
        library_version=library.version,
        population=population,
        findings=findings,
        referral=referral,
        publishable=not referral.required or case.facts.clearance_recorded,
        phases=tuple(phases),
        excluded=tuple(builder.excluded[slug] for slug in sorted(builder.excluded)),
        fired=tuple(sorted(records, key=lambda r: r.id)),
        retest_weeks=profile.retest_weeks,
        retest=profile.retest,
        notes=tuple(notes),
    )


def suggest_from_dict(data: Mapping[str, Any]) -> dict:
    """Case JSON (as a dict) to draft JSON (as a dict) with the shipped ruleset and library.

    Raises ``programs.case.CaseError`` for an invalid case.
    """
    case = parse_case(data)
    return draft_to_dict(suggest(case, ruleset=load_ruleset(), library=load_library()))
