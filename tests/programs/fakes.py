"""Small, controlled rulesets, libraries and cases for the engine tests (no database).

Libraries and rulesets go through the real parsers (``parse_library``, ``parse_ruleset``),
so a test can never pass on data the shipped loaders would refuse.
"""

from __future__ import annotations

import copy
from typing import Any

from programs.library import Library, parse_library
from programs.rules import Ruleset, parse_ruleset

ASSESSED_ON = "2026-11-20"


def exercise(slug: str, phase: str, targets: list[str], **fields: Any) -> dict:
    """One valid ``[[exercise]]`` table; keyword arguments replace the defaults."""
    table = {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "phase": phase,
        "targets": targets,
        "equipment": [],
        "position": "standing",
        "populations": ["youth", "adult", "senior", "postpartum"],
        "tags": [],
        "sets": 1,
        "cues": ["Move slowly.", "Stop if it hurts."],
        "source": "practice-default",
        "level": 1,
    }
    if phase in ("inhibit", "lengthen"):
        table["hold_s"] = 45
    else:
        table["reps"] = 8
    if phase == "integrate":
        table["patterns"] = ["squat"]
    table.update(fields)
    return table


def library(*tables: dict) -> Library:
    return parse_library({"test.toml": {"exercise": list(tables)}})


def _phase(key: str, **fields: Any) -> dict:
    table = {
        "key": key,
        "title": key.capitalize(),
        "weeks": [1, 4],
        "max_exercises": 2,
        "progression": f"{key} done without pain.",
        "source": "OEP-CEx",
    }
    table.update(fields)
    return table


def ruleset_docs(
    rules: list[dict] = (),
    safety: list[dict] = (),
    *,
    max_exercises: int = 2,
    phase_fields: dict[str, dict] | None = None,
    general: dict[str, list[str]] | None = None,
) -> dict[str, dict]:
    """Parsed-TOML documents for a small ruleset with one profile per population."""
    phase_fields = phase_fields or {}
    general = general or {
        "inhibit": ["soleus"],
        "lengthen": ["soleus"],
        "activate": ["anterior_tibialis"],
        "integrate": ["squat"],
    }
    profiles = {}
    for population in ("youth", "adult", "senior", "postpartum"):
        profiles[population] = {
            "title": population.capitalize(),
            "sessions_per_week": 3,
            "retest_weeks": 4,
            "retest": "Repeat the tests.",
            "retest_source": "OEP-CEx",
            "phase": [
                _phase(key, max_exercises=max_exercises, **phase_fields.get(key, {}))
                for key in ("inhibit", "lengthen", "activate", "integrate")
            ],
            "general": {
                "id": f"G-{population.upper()}-01",
                **general,
                "rationale": "General program.",
                "source": "OEP-CEx",
                "practice_default": True,
            },
        }
    return {
        "rules/ruleset.toml": {
            "ruleset": {"label": "2026.1"},
            "source": [
                {"id": "OEP-CEx", "citation": "Continuum."},
                {"id": "NASM-CES", "citation": "Manual, not retrieved.", "retrieved": False},
            ],
        },
        "rules/test.toml": {"rule": copy.deepcopy(list(rules))},
        "safety.toml": {"safety": copy.deepcopy(list(safety))},
        "profiles.toml": {"profile": profiles},
    }


def ruleset(rules: list[dict] = (), safety: list[dict] = (), **kwargs: Any) -> Ruleset:
    return parse_ruleset(ruleset_docs(rules, safety, **kwargs))


def rule(rule_id: str, when: dict, then: dict, **fields: Any) -> dict:
    table = {
        "id": rule_id,
        "when": when,
        "then": {"priority": 50, **then},
        "rationale": "Because.",
        "source": "OEP-CEx",
        "practice_default": False,
    }
    table.update(fields)
    return table


def safety_rule(rule_id: str, when: dict, tags: list[str], **fields: Any) -> dict:
    table = {
        "id": rule_id,
        "when": when,
        "exclude_tags": tags,
        "reason": rule_id.lower().replace("-", "_"),
        "rationale": "Safety first.",
        "source": "OEP-CEx",
        "practice_default": False,
    }
    table.update(fields)
    return table


def case(measures: dict | None = None, **client: Any) -> dict:
    """A case-format input: an adult woman by default; ``client`` keys override."""
    return {
        "client": {"age_years": 34, "sex": "female", **client},
        "assessed_on": ASSESSED_ON,
        "screening": {"parq_yes": [], "clearance_recorded": False},
        "measures": measures or {},
    }


def excluded_tags_chosen(draft, ruleset: Ruleset, library: Library) -> list[tuple[str, str]]:
    """(safety rule id, slug) for every chosen exercise carrying a tag a fired rule excludes.

    Written apart from the engine from the safety-table semantics, so the check is real:
    a scoped rule reaches an exercise loading a painful region (any exercise when the pain
    is unplaced, "whole_body").
    """
    fired = {record.id for record in draft.fired if record.kind == "safety"}
    # Growth-related pain is pain in its region too (the engine's PAIN_FINDINGS).
    pain = {f.region for f in draft.findings if f.code in ("pain", "growth_related_pain")}
    found = []
    for rule in ruleset.safety:
        if rule.id not in fired:
            continue
        for phase in draft.phases:
            for chosen in phase.exercises:
                exercise = library.get(chosen.slug)
                if not set(rule.exclude_tags) & set(exercise.tags):
                    continue
                regions = set(exercise.regions)
                reaches = not rule.pain_region_scoped or bool(
                    pain & (regions | {"whole_body"}) or (pain and "whole_body" in regions)
                )
                if reaches:
                    found.append((rule.id, chosen.slug))
    return found
