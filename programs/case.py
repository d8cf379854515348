"""The plain-data boundary of ``shared/design/case-format.md``: case JSON in, draft JSON out (pure).

``parse_case`` is strict, so that a typo cannot quietly change a program:

- Unknown keys are errors at every level, naming the key (``measures.senoir``). The
  contract may grow new optional fields; each is added here when it is added there. Only
  top-level keys starting with ``_`` are ignored, as room for comments and metadata.
- ``true``/``false`` is never a number and a string is never a number or a date.
- Numbers are checked against the plausible ranges of ``assessments.measures``.
- ``null`` for a measure means "not measured", the same as leaving the key out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from assessments.findings import OHS_COMPENSATIONS
from assessments.inputs import (
    ClientFacts,
    Measures,
    OhsObservation,
    PainReport,
    PostpartumMeasures,
    PostureObservation,
    SeniorTests,
    YouthMeasures,
)
from assessments.measures import MEASURES, range_error, sitting_height_error
from assessments.posture import GAIT, POSTURE_DEVIATIONS, VIEWS
from clients.population import Population, add_years, age_on, population_on, weeks_since

if TYPE_CHECKING:  # the engine imports this module; the draft types are only annotations
    from programs.engine import Draft, DraftExercise, DraftPhase

SEXES = ("female", "male")
DELIVERY_TYPES = ("vaginal", "caesarean")
SIDES = ("left", "right", "both")
PARQ_QUESTIONS = range(1, 8)
MAX_AGE_YEARS = 120
MAX_REGION_LENGTH = 40  # the saved pain report's region column
# ``age_years`` alone stands for a birthday half a year before the last one: every date in
# that year of life is equally likely, so the middle keeps the decimal age (used by the
# maturity equations) unbiased while the completed age stays exactly ``age_years``.
HALF_YEAR = timedelta(days=182)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_NUMBER_FIELDS = ("cva_deg", "wall_distance_cm", "screen_hours_per_day",
                  "pelvic_tilt_left_deg", "pelvic_tilt_right_deg")  # fmt: skip
_SENIOR_FIELDS = tuple(SeniorTests.__dataclass_fields__)
_POSTPARTUM_NUMBERS = ("ird_above_umbilicus_cm", "ird_umbilicus_cm", "ird_below_umbilicus_cm")
_POSTPARTUM_FLAGS = ("doming", "leakage", "heaviness", "pelvic_pain")
_YOUTH_NUMBERS = ("height_cm", "sitting_height_cm", "weight_kg")


class CaseError(ValueError):
    """An invalid case: the dotted JSON path of the offending field, and what is wrong."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Case:
    """One validated case: the client's facts, the measures, and what follows from the dates."""

    facts: ClientFacts
    measures: Measures
    population: Population
    age: int  # completed years on the assessment date
    weeks_postpartum: float | None  # None without a delivery date
    birth_date_derived: bool = False  # True when the case gave age_years, not birth_date

    @property
    def assessed_on(self) -> date:
        return self.facts.assessed_on


def _object(value: Any, path: str, allowed: tuple[str, ...]) -> dict:
    """An object whose keys are all known; ``path`` "" is the case itself."""
    if not isinstance(value, dict):
        raise CaseError(path or "(case)", "must be an object")
    for key in value:
        if key not in allowed:
            raise CaseError(
                f"{path}.{key}" if path else str(key),
                f"unknown key (expected one of: {', '.join(allowed)})",
            )
    return value


def _list(value: Any, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError(path, "must be a list")
    return value


def _text(value: Any, path: str, choices: tuple[str, ...] | None = None) -> str:
    if not isinstance(value, str):
        raise CaseError(path, "must be a string")
    if choices is not None and value not in choices:
        raise CaseError(path, f"must be one of: {', '.join(choices)} (got {value!r})")
    if not value.strip():
        raise CaseError(path, "must not be empty")
    return value


def _flag(value: Any, path: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise CaseError(path, "must be true, false or null")
    return value


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise CaseError(path, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CaseError(path, f"{value!r} is not a calendar date") from None


def _whole(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(path, "must be a whole number")
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinity
        raise CaseError(path, "must be a whole number")
    return int(value)


def _measure(value: Any, path: str, key: str) -> float | int | None:
    """A measured number checked against ``assessments.measures``; null means not measured."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CaseError(path, "must be a number, not true/false")
    if not isinstance(value, int | float):
        raise CaseError(
            path, "must be a number, not a string" if isinstance(value, str) else "must be a number"
        )
    message = range_error(key, value)
    if message:
        raise CaseError(path, message)
    # range_error has already refused fractions for whole-number measures.
    return int(value) if MEASURES[key].integer else float(value)


def _client(data: dict, assessed_on: date) -> tuple[date, bool, str, date | None, str | None]:
    client = _object(data, "client", ("age_years", "birth_date", "sex", "postpartum"))
    if client.get("sex") is None:
        raise CaseError("client.sex", "is required")
    sex = _text(client["sex"], "client.sex", SEXES)
    has_age, has_birth = client.get("age_years") is not None, client.get("birth_date") is not None
    if has_age == has_birth:
        raise CaseError("client.age_years", "give either client.age_years or client.birth_date")
    if has_birth:
        birth_date = _date(client["birth_date"], "client.birth_date")
        if birth_date > assessed_on:
            raise CaseError("client.birth_date", "must not be after assessed_on")
        if age_on(birth_date, assessed_on) > MAX_AGE_YEARS:
            raise CaseError("client.birth_date", f"gives an age over {MAX_AGE_YEARS} years")
    else:
        age = _whole(client["age_years"], "client.age_years")
        if not 0 <= age <= MAX_AGE_YEARS:
            raise CaseError("client.age_years", f"must be between 0 and {MAX_AGE_YEARS}")
        birth_date = add_years(assessed_on, -age) - HALF_YEAR
    delivery_date = delivery_type = None
    if client.get("postpartum") is not None:
        path = "client.postpartum"
        postpartum = _object(client["postpartum"], path, ("delivery_date", "delivery_type"))
        if sex != "female":
            raise CaseError(path, "applies to female clients only")
        for key in ("delivery_date", "delivery_type"):
            if postpartum.get(key) is None:
                raise CaseError(f"{path}.{key}", "is required")
        delivery_date = _date(postpartum["delivery_date"], f"{path}.delivery_date")
        delivery_type = _text(postpartum["delivery_type"], f"{path}.delivery_type", DELIVERY_TYPES)
        if delivery_date > assessed_on:
            raise CaseError(f"{path}.delivery_date", "must not be after assessed_on")
        if delivery_date <= birth_date:
            raise CaseError(f"{path}.delivery_date", "must be after the client's birth date")
    return birth_date, has_age, sex, delivery_date, delivery_type


def _screening(data: Any) -> tuple[tuple[int, ...], bool]:
    if data is None:
        return (), False
    screening = _object(data, "screening", ("parq_yes", "clearance_recorded"))
    numbers = []
    for index, item in enumerate(_list(screening.get("parq_yes"), "screening.parq_yes")):
        path = f"screening.parq_yes[{index}]"
        number = _whole(item, path)
        if number not in PARQ_QUESTIONS:
            raise CaseError(path, "must be a PAR-Q+ general question number from 1 to 7")
        if number in numbers:
            raise CaseError(path, f"question {number} is listed twice")
        numbers.append(number)
    cleared = _flag(screening.get("clearance_recorded"), "screening.clearance_recorded")
    return tuple(sorted(numbers)), bool(cleared)


def _observations(items: Any, path: str, vocabulary, make, *, views: bool) -> tuple:
    """Posture or overhead-squat observations: a code, or {code, side[, view]}."""
    allowed = ("code", "side", "view") if views else ("code", "side")
    found = []
    for index, item in enumerate(_list(items, path)):
        where = f"{path}[{index}]"
        side = view = None
        if isinstance(item, dict):
            _object(item, where, allowed)
            if "code" not in item:
                raise CaseError(f"{where}.code", "is required")
            code = _text(item["code"], f"{where}.code", tuple(vocabulary))
            if item.get("side") is not None:
                side = _text(item["side"], f"{where}.side", SIDES)
            if item.get("view") is not None:
                view = _text(item["view"], f"{where}.view", tuple(VIEWS))
        else:
            code = _text(item, where, tuple(vocabulary))
        observation = make(code, side, view)
        if observation in found:
            raise CaseError(where, f"{code!r} is listed twice")
        found.append(observation)
    return tuple(found)


def _gait(items: Any) -> tuple[str, ...]:
    codes: list[str] = []
    for index, item in enumerate(_list(items, "measures.gait")):
        code = _text(item, f"measures.gait[{index}]", tuple(GAIT))
        if code in codes:
            raise CaseError(f"measures.gait[{index}]", f"{code!r} is listed twice")
        codes.append(code)
    return tuple(codes)


def _section(data: Any, name: str, allowed: tuple[str, ...]) -> dict | None:
    if data is None:
        return None
    return _object(data, f"measures.{name}", allowed)


def _senior(data: Any) -> SeniorTests | None:
    section = _section(data, "senior", _SENIOR_FIELDS)
    if section is None:
        return None
    return SeniorTests(
        **{
            key: _measure(section.get(key), f"measures.senior.{key}", f"senior.{key}")
            for key in _SENIOR_FIELDS
        }
    )


def _postpartum(data: Any) -> PostpartumMeasures | None:
    section = _section(data, "postpartum", _POSTPARTUM_NUMBERS + _POSTPARTUM_FLAGS)
    if section is None:
        return None
    values: dict[str, Any] = {
        key: _measure(section.get(key), f"measures.postpartum.{key}", f"postpartum.{key}")
        for key in _POSTPARTUM_NUMBERS
    }
    values |= {
        key: _flag(section.get(key), f"measures.postpartum.{key}") for key in _POSTPARTUM_FLAGS
    }
    return PostpartumMeasures(**values)


def _region(value: Any, path: str) -> str:
    region = _text(value, path)
    if len(region) > MAX_REGION_LENGTH:
        raise CaseError(path, f"must be at most {MAX_REGION_LENGTH} characters")
    return region


def _youth(data: Any) -> YouthMeasures | None:
    section = _section(data, "youth", (*_YOUTH_NUMBERS, "growth_pain"))
    if section is None:
        return None
    numbers = {
        key: _measure(section.get(key), f"measures.youth.{key}", f"youth.{key}")
        for key in _YOUTH_NUMBERS
    }
    message = sitting_height_error(
        height_cm=numbers["height_cm"], sitting_height_cm=numbers["sitting_height_cm"]
    )
    if message:
        raise CaseError("measures.youth.sitting_height_cm", message)
    parts = []
    for index, item in enumerate(_list(section.get("growth_pain"), "measures.youth.growth_pain")):
        part = _region(item, f"measures.youth.growth_pain[{index}]")
        if part in parts:
            raise CaseError(f"measures.youth.growth_pain[{index}]", f"{part!r} is listed twice")
        parts.append(part)
    return YouthMeasures(**numbers, growth_pain=tuple(parts))


def _pain(items: Any) -> tuple[PainReport, ...]:
    reports = []
    for index, item in enumerate(_list(items, "measures.pain")):
        path = f"measures.pain[{index}]"
        report = _object(item, path, ("region", "score"))
        for key in ("region", "score"):
            if report.get(key) is None:
                raise CaseError(f"{path}.{key}", "is required")
        reports.append(
            PainReport(
                region=_region(report["region"], f"{path}.region"),
                score=_measure(report["score"], f"{path}.score", "pain.score"),
            )
        )
    return tuple(reports)


_MEASURE_KEYS = (*_NUMBER_FIELDS, "posture", "ohs", "gait", "senior", "postpartum", "youth", "pain")


def _measures(data: Any) -> Measures:
    if data is None:
        return Measures()
    measures = _object(data, "measures", _MEASURE_KEYS)
    return Measures(
        **{key: _measure(measures.get(key), f"measures.{key}", key) for key in _NUMBER_FIELDS},
        posture=_observations(
            measures.get("posture"),
            "measures.posture",
            POSTURE_DEVIATIONS,
            lambda code, side, _view: PostureObservation(code=code, side=side),
            views=False,
        ),
        ohs=_observations(
            measures.get("ohs"),
            "measures.ohs",
            OHS_COMPENSATIONS,
            lambda code, side, view: OhsObservation(code=code, view=view, side=side),
            views=True,
        ),
        gait=_gait(measures.get("gait")),
        senior=_senior(measures.get("senior")),
        postpartum=_postpartum(measures.get("postpartum")),
        youth=_youth(measures.get("youth")),
        pain=_pain(measures.get("pain")),
    )


_TOP_KEYS = ("client", "assessed_on", "screening", "measures")


def parse_case(data: Any) -> Case:
    """Validate a case-format input object; raise CaseError naming the first bad field."""
    if not isinstance(data, dict):
        raise CaseError("(case)", "must be a JSON object")
    _object({k: v for k, v in data.items() if not str(k).startswith("_")}, "", _TOP_KEYS)
    for key in ("client", "assessed_on"):
        if data.get(key) is None:
            raise CaseError(key, "is required")
    assessed_on = _date(data["assessed_on"], "assessed_on")
    birth_date, derived, sex, delivery_date, delivery_type = _client(data["client"], assessed_on)
    parq_yes, cleared = _screening(data.get("screening"))
    facts = ClientFacts(
        sex=sex,
        birth_date=birth_date,
        assessed_on=assessed_on,
        delivery_date=delivery_date,
        delivery_type=delivery_type,
        parq_yes=parq_yes,
        clearance_recorded=cleared,
    )
    return Case(
        facts=facts,
        measures=_measures(data.get("measures")),
        population=population_on(birth_date, delivery_date, assessed_on),
        age=age_on(birth_date, assessed_on),
        weeks_postpartum=None if delivery_date is None else weeks_since(delivery_date, assessed_on),
        birth_date_derived=derived,
    )


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
