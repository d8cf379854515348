"""Where Realign cites its sources: the rule tables, the exercise doses, the norms and the
findings, each by the ids of the one bibliography (``assessments.sources``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assessments import interpret, maturity, norms, posture
from assessments.sources import Source, bibliography, cited, source_ids
from clients import parq

from .library import Library
from .rules import Ruleset

PRACTICE_DEFAULT = "practice-default"  # an exercise dose the reference does not give


def cited_by_rules(ruleset: Ruleset) -> set[str]:
    """Every source id a rule, safety rule or population profile cites."""
    ids = {s for rule in ruleset.rules for s in rule.sources}
    ids |= {s for rule in ruleset.safety for s in rule.sources}
    for profile in ruleset.profiles.values():
        ids |= set(profile.retest_sources) | set(profile.general.sources)
        ids |= {s for phase in profile.phases for s in phase.sources}
    return ids


def cited_by_library(library: Library) -> set[str]:
    """The sources of the exercise doses (a practice default is not a source)."""
    return {exercise.source for exercise in library} - {PRACTICE_DEFAULT}


def cited_by_norms() -> set[str]:
    """The sources of the senior norm rows and the fall-risk cut-offs."""
    rows = [row for table in norms.senior_norm_tables().values() for row in table.rows]
    rows += norms.steadi_chair_stand_cutoffs()
    texts = [row.source for row in rows]
    texts += [cutoff.source for cutoff in norms.steadi_cutoffs().values()]
    return set(source_ids(texts))


def _module_sources(module) -> list[str]:
    """A findings module's declared citations: its ``*_SOURCE`` strings and ``*_SOURCES`` maps."""
    texts: list[str] = []
    for name, value in vars(module).items():
        if name.endswith("_SOURCE") and isinstance(value, str):
            texts.append(value)
        elif name.endswith("_SOURCES") and isinstance(value, Mapping):
            texts += [v for v in value.values() if isinstance(v, str)]
    return texts


def cited_by_findings() -> set[str]:
    """The sources the findings declare: the posture, squat and gait vocabularies, the
    patterns, the maturity equations, the PAR-Q+ and the interpretation's thresholds."""
    texts = [item.source for item in posture.POSTURE_DEVIATIONS.values()]
    texts += [item.source for item in posture.OHS.values()]
    texts += [item.source for item in posture.GAIT.values()]
    texts += [rule.source for rule in posture.PATTERNS]
    for module in (interpret, maturity, parq):
        texts += _module_sources(module)
    return set(source_ids(texts))


def cited_anywhere(ruleset: Ruleset, library: Library) -> set[str]:
    """Every source id the rule tables, exercise doses, norms and findings cite."""
    return (
        cited_by_rules(ruleset) | cited_by_library(library) | cited_by_norms() | cited_by_findings()
    )


def draft_sources(draft: Mapping) -> list[Source]:
    """The sources a draft's findings and fired rules cite, in the bibliography's order."""
    texts: list[str] = [f.get("source") or "" for f in draft.get("findings", [])]
    for fired in draft.get("rules_fired", []):
        texts += list(fired.get("source", []))
    return cited(source_ids(texts))


def all_sources() -> list[Source]:
    """The whole bibliography, in its order (every entry is cited somewhere; tested)."""
    return list(bibliography().values())


def unknown(ids: Iterable[str]) -> set[str]:
    """The ids the bibliography does not know."""
    return set(ids) - set(bibliography())
