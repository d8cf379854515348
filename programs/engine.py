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
3. The headline findings come first: every finding of moderate severity or worse, and
   every distortion pattern, gets at least one exercise in activate and one in inhibit or
   lengthen (where its rules ask for those steps), ahead of milder findings. They are
   covered greedily, the exercise addressing the most of them first, so one exercise
   serves several. Only to address a headline finding that no earlier phase of its step
   addressed may a phase go past its cap. A headline finding every candidate of which is
   excluded for safety (or missing from the library) is named in the phase's note.
4. Then, within the cap (the profile's ``max_exercises``), exercises are picked one at a
   time, each covering targets not yet covered: higher rule priority first, then more
   matched finding codes behind it, then the easier level (a block starts easy;
   progression moves up the ladder), then more new targets, then slug in alphabetical
   order. A phase is never padded: once its targets are covered it stops.
5. Integration matches the findings' patterns: an exercise with impact (landing, hopping,
   running) only answers a wanted ``locomotion`` pattern, never a squat or a lunge.
6. When no rule asks for any exercise (no finding, or advice-only ones) the draft is the
   population's general program. Otherwise a phase nothing asks for, or nothing safe
   fits, stays empty and its note says why; the engine never fills it with unrelated work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments.delivery import delivery_type_applied
from assessments.findings import REFERRAL_REASONS, Finding, Referral, Severity
from assessments.interpret import interpret, referral_for
from assessments.measures import measure_label
from assessments.muscles import PATTERNS, muscle_label, muscle_region
from assessments.posture import GAIT, OHS
from assessments.posture import PATTERNS as DISTORTION_PATTERNS
from programs.case import Case, parse_case
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

PAIN_FINDINGS = ("pain", "growth_related_pain")  # findings that report pain in a body region
MAX_REGRESSION_STEPS = 10  # a guard against a cycle in the library's regression links
HEADLINE_SEVERITIES = frozenset({Severity.MODERATE, Severity.SEVERE})
HEADLINE_PATTERNS = frozenset(p.code for p in DISTORTION_PATTERNS)
# Steps grouped for the headline guarantee: release is inhibit or lengthen.
_STEP_GROUP = {"inhibit": "release", "lengthen": "release", "activate": "activate"}
_GROUP_TEXT = {"release": "release or stretch", "activate": "activation"}
EXERCISE_TARGET = "exercise:"  # prefix of a wanted target that is one named library exercise
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
    note: str | None = None  # why the phase is empty, or what it could not address
    unaddressed: tuple[str, ...] = ()  # headline finding codes with no safe exercise here


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


# --- The draft as case-format output JSON ---------------------------------------------------


def _exercise_dict(exercise: DraftExercise) -> dict:
    return {
        "slug": exercise.slug,
        "sets": exercise.sets,
        "reps": exercise.reps,
        "hold_s": exercise.hold_s,
        "tempo": exercise.tempo,
        "tags": list(exercise.tags),
        "rules": list(exercise.rules),
        "findings": list(exercise.findings),
        # Additions to the contract (allowed: new optional fields, none renamed).
        "name": exercise.name,
        "why": exercise.why,
    }


def _phase_dict(phase: DraftPhase) -> dict:
    result = {
        "key": phase.key,
        "title": phase.title,
        "weeks": list(phase.weeks),
        "sessions_per_week": phase.sessions_per_week,
        "exercises": [_exercise_dict(e) for e in phase.exercises],
    }
    if phase.covers:
        result["covers"] = list(phase.covers)
    result["progression"] = phase.progression
    # Optional additions (the contract allows new optional fields): why a phase is short.
    if phase.note:
        result["note"] = phase.note
    if phase.unaddressed:
        result["unaddressed"] = list(phase.unaddressed)
    return result


def draft_to_dict(draft: Draft) -> dict:
    """The draft as the case-format output object (contract keys first, additions after)."""
    return {
        "ruleset_version": draft.ruleset_version,
        "population": draft.population,
        "findings": [finding.as_case_dict() for finding in draft.findings],
        "referral": {
            "required": draft.referral.required,
            "reasons": list(draft.referral.reasons),
            "details": list(draft.referral.details),
        },
        "publishable": draft.publishable,
        "phases": [_phase_dict(phase) for phase in draft.phases],
        "excluded": [
            {
                "slug": e.slug,
                "reason": e.reason,
                "rule": e.rule,
                "tags": list(e.tags),
                "also": list(e.also),
            }
            for e in draft.excluded
        ],
        "library_version": draft.library_version,
        "retest_weeks": draft.retest_weeks,
        "retest": draft.retest,
        "rules_fired": [
            {
                "id": fired.id,
                "kind": fired.kind,
                "findings": list(fired.findings),
                "rationale": fired.rationale,
                "source": list(fired.sources),
                "practice_default": fired.practice_default,
                "advice": fired.advice,
            }
            for fired in draft.fired
        ],
        "notes": list(draft.notes),
    }


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
        # Safety rules by birth type go by the type that applies (unrecorded: caesarean).
        delivery_type=(
            None
            if case.facts.delivery_date is None
            else delivery_type_applied(case.facts.delivery_type)
        ),
        # Growth-related pain is pain in its region too (a sore knee during growth is a
        # sore knee): region conditions and scopes see both.
        pain_regions=frozenset(f.region for f in findings if f.code in PAIN_FINDINGS),
        parq_positive=bool(case.facts.parq_yes),
        clearance_recorded=case.facts.clearance_recorded,
    )


def _wanted(fired: Iterable[tuple[Rule, tuple[str, ...]]], library: Library) -> Wanted:
    wanted: Wanted = {step: {} for step in CONTINUUM}
    for rule, matched in fired:
        claim = _Claim(rule.id, rule.then.priority, matched)
        for step in CONTINUUM:
            for target in rule.then.targets(step):
                wanted[step].setdefault(target, []).append(claim)
        for slug in rule.then.exercises:
            named = library.get(slug)
            if named is not None:  # tests check every named slug is in the shipped library
                wanted[named.phase].setdefault(EXERCISE_TARGET + slug, []).append(claim)
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
    if exercise.phase == "integrate" and "impact" in exercise.tags:
        # Landing, hopping and running are locomotion skills: they answer a finding that
        # asks for locomotion, never one that asks to practise a squat or a lunge.
        offered = tuple(p for p in offered if p == "locomotion")
    offered = (*offered, EXERCISE_TARGET + exercise.slug)
    return frozenset((exercise.phase, t) for t in offered if t in wanted[exercise.phase])


def headline_findings(findings: Iterable[Finding]) -> frozenset[str]:
    """Codes a draft must address first: moderate or worse, and every distortion pattern."""
    return frozenset(
        f.code for f in findings if f.severity in HEADLINE_SEVERITIES or f.code in HEADLINE_PATTERNS
    )


def _claims(pairs: Iterable[tuple[str, str]], wanted: Wanted) -> list[_Claim]:
    return [claim for step, target in sorted(pairs) for claim in wanted[step][target]]


def _rank(exercise: Exercise, new: frozenset, wanted: Wanted) -> tuple:
    claims = _claims(new, wanted)
    findings = {code for claim in claims for code in claim.findings}
    priority = max(claim.priority for claim in claims)
    # An exercise a rule names (the guidance's own test or drill) before a generic one.
    named = any(target.startswith(EXERCISE_TARGET) for _, target in new)
    return (-priority, -named, -len(findings), exercise.level, -len(new), exercise.slug)


Home = dict[str, frozenset[tuple[str, str]]]  # finding code -> the pairs that address it


def _home(wanted: Wanted, regions: Mapping[str, str]) -> Home:
    """Per finding code, the wanted (step, target) pairs that address it here.

    Only the finding's strongest rule counts, and, where that rule names muscles in the
    finding's own body region, only those: a moderate forward head is addressed by a chin
    tuck, not by the row an add-on rule asks for; a pronation pattern by foot work, not
    by the glute bridge its rule also lists.
    """
    strongest: dict[str, int] = {}
    for targets in wanted.values():
        for claims in targets.values():
            for claim in claims:
                for code in claim.findings:
                    strongest[code] = max(strongest.get(code, claim.priority), claim.priority)
    pairs: dict[str, set[tuple[str, str]]] = {}
    for step, targets in wanted.items():
        for target, claims in targets.items():
            for claim in claims:
                for code in claim.findings:
                    if claim.priority >= strongest[code]:
                        pairs.setdefault(code, set()).add((step, target))
    home = {}
    for code, found in pairs.items():
        local = {(s, t) for s, t in found if muscle_region(t) == regions.get(code)}
        home[code] = frozenset(local or found)
    return home


def _serves(pairs: Iterable[tuple[str, str]], home: Home) -> frozenset[str]:
    """Finding codes these (step, target) pairs address (see ``_home``)."""
    pairs = set(pairs)
    return frozenset(code for code, found in home.items() if found & pairs)


def _headline_rank(exercise, goal, uncovered, wanted: Wanted, home: Home) -> tuple:
    hits = _hits(exercise, wanted)
    claims = _claims(hits, wanted)
    served = _serves(hits, home) & goal
    findings = {code for claim in claims for code in claim.findings}
    priority = max(claim.priority for claim in claims)
    new = len(hits & uncovered)
    return (-len(served), -priority, -len(findings), exercise.level, -new, exercise.slug)


def _target_text(step: str, target: str, library: Library) -> str:
    if target.startswith(EXERCISE_TARGET):
        named = library.get(target.removeprefix(EXERCISE_TARGET))
        return f"{named.name.lower()} (named by the guidance)" if named else target
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


def _why(
    pairs: frozenset, wanted: Wanted, population: str, replaced: tuple | None, library: Library
) -> str:
    by_step: dict[str, list[str]] = {}
    for step, target in sorted(pairs, key=lambda p: (CONTINUUM.index(p[0]), p[1])):
        by_step.setdefault(step, []).append(_target_text(step, target, library))
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

    def __init__(
        self,
        library: Library,
        population: str,
        safety: _Safety,
        regions: Mapping[str, str] | None = None,
    ):
        self.library, self.population, self.safety = library, population, safety
        self.regions = regions or {}  # finding code -> its body region
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

    def build(
        self,
        phase: PhaseProfile,
        wanted: Wanted,
        headline: frozenset[str] = frozenset(),
        must: frozenset[str] = frozenset(),
    ) -> tuple[list[DraftExercise], frozenset[str]]:
        """Address the headline findings first, then cover the wanted targets within the cap.

        ``headline``: headline finding codes to address here while the cap allows; ``must``:
        those no other phase of their step can still address, for which the cap may be
        passed (module docstring, 3). Returns the entries and the headline codes addressed.
        """
        pool = {}
        for exercise in self.library:
            if self._suits(exercise) and _hits(exercise, wanted):
                pool[exercise.slug] = exercise
                self._blocked(exercise)  # every excluded candidate is listed, chosen or not
        uncovered = {(step, t) for step in wanted for t in wanted[step]}
        home = _home(wanted, self.regions)
        picked: list[DraftExercise] = []
        addressed: set[str] = set()

        def take(best: Exercise) -> None:
            del pool[best.slug]
            exclusion = self.safety.exclusion(best)
            chosen = best if exclusion is None else self._safe_regression(best)
            if chosen is None:
                return
            pairs = _hits(best, wanted)
            picked.append(self._entry(phase, chosen, pairs, wanted, best, exclusion))
            uncovered.difference_update(pairs)
            addressed.update(_serves(pairs, home))
            self.chosen.add(chosen.slug)
            pool.pop(chosen.slug, None)

        while True:
            goal = (headline if len(picked) < phase.max_exercises else must) - addressed
            ranked = sorted(
                (_headline_rank(ex, goal, uncovered, wanted, home), ex)
                for ex in pool.values()
                if _serves(_hits(ex, wanted), home) & goal
            )
            if not ranked:
                break
            take(ranked[0][1])
        while len(picked) < phase.max_exercises:
            covering = [ex for ex in pool.values() if _hits(ex, wanted) & uncovered]
            if not covering:
                break
            take(min((_rank(ex, _hits(ex, wanted) & uncovered, wanted), ex) for ex in covering)[1])
        return picked, frozenset(addressed & headline)

    def missing(self, code: str, wanted: Wanted) -> str:
        """Why no exercise addresses a headline finding here, in words for the note."""
        home = _home(wanted, self.regions)
        candidates = [
            ex
            for ex in self.library
            if self.population in ex.populations and code in _serves(_hits(ex, wanted), home)
        ]
        if not candidates:
            return "the library has no exercise for it that suits this client"
        rules = sorted(
            {ex.rule for c in candidates if (ex := self.safety.exclusion(c)) is not None}
        )
        if rules:
            return f"every exercise for it is excluded for safety ({', '.join(rules)})"
        return "its exercises are already used in another phase"

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
            why=_why(pairs, wanted, self.population, replaced, self.library),
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


def _codes(wanted: Wanted) -> set[str]:
    """Every finding code behind the wanted targets."""
    return {
        code
        for targets in wanted.values()
        for claims in targets.values()
        for claim in claims
        for code in claim.findings
    }


def _phase_note(
    wanted: Wanted, exercises: list, unaddressed: tuple[str, ...], builder: _PhaseBuilder
) -> str | None:
    """What the specialist should know about a phase the engine left short, or None."""
    parts = []
    if not any(wanted.values()):
        parts.append(
            "No finding calls for this step, so it is left empty rather than filled with "
            "work that answers nothing found; add from the library if the client needs it."
        )
    elif not exercises:
        parts.append(
            "Nothing in the library fits this step safely for what was found; see the "
            "exclusions, and choose with the client's clearing professional."
        )
    for code in unaddressed:
        parts.append(f"Not addressed here: {_finding_text(code)}: {builder.missing(code, wanted)}.")
    return " ".join(parts) or None


def suggest(case: Case, *, ruleset: Ruleset, library: Library) -> Draft:
    """The program draft for one case under one ruleset and exercise library."""
    findings = tuple(interpret(case.measures, case.facts))
    facts = _rule_facts(case, findings)
    population = str(case.population)
    profile = ruleset.profiles[population]

    fired = [(r, m) for r in ruleset.rules if (m := r.when.match(facts)) is not None]
    fired_safety = [(s, m) for s in ruleset.safety if (m := s.when.match(facts)) is not None]
    referral = _referral(referral_for(case.measures, case.facts, list(findings)), fired_safety)
    wanted, notes = _resolve_conflicts(_wanted(fired, library))
    general = _general_wanted(profile.general)
    # Nothing asked for anywhere (no finding, or advice only): the general program.
    use_general = not any(wanted.values())
    if use_general:
        wanted = general
    headline = headline_findings(findings)
    plan = [{step: wanted[step] for step in phase.steps} for phase in profile.phases]
    claimed = [_codes(phase_wanted) & headline for phase_wanted in plan]
    groups = [{_STEP_GROUP.get(s, s) for s in phase.steps} for phase in profile.phases]

    regions = {f.code: f.region for f in findings}
    builder = _PhaseBuilder(library, population, _Safety(fired_safety, facts.pain_regions), regions)
    phases = []
    addressed: dict[str, set[str]] = {}
    for index, phase in enumerate(profile.phases):
        phase_wanted = plan[index]
        # Codes no later phase of the same step group can address: the cap may give way.
        later = set().union(
            *(claimed[i] for i in range(index + 1, len(plan)) if groups[i] & groups[index])
        )
        done_before = set().union(*(addressed.get(g, set()) for g in groups[index]))
        guaranteed = {g for g in groups[index] if g in _GROUP_TEXT}
        must = frozenset(claimed[index] - later - done_before) if guaranteed else frozenset()
        exercises, done = builder.build(phase, phase_wanted, claimed[index], must)
        for group in groups[index]:
            addressed.setdefault(group, set()).update(done)
        unaddressed = tuple(sorted(must - done))
        phases.append(
            DraftPhase(
                key=phase.key,
                title=phase.title,
                weeks=phase.weeks,
                sessions_per_week=phase.sessions_per_week,
                exercises=tuple(exercises),
                covers=phase.covers,
                progression=phase.progression,
                note=_phase_note(phase_wanted, exercises, unaddressed, builder),
                unaddressed=unaddressed,
            )
        )

    records = [_fired_record(r, "rule", m) for r, m in fired]
    records += [_fired_record(s, "safety", m) for s, m in fired_safety]
    if use_general and any(p.exercises for p in phases):
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

    Raises ``core.data_files.DataFileError`` for an invalid case.
    """
    case = parse_case(data)
    return draft_to_dict(suggest(case, ruleset=load_ruleset(), library=load_library()))
