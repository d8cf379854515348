"""The plain-data boundary of ``shared/design/case-format.md``: case JSON in, draft JSON out (pure).

``parse_case`` is strict about values, so that a typo cannot quietly change a program:

- An unknown key inside a known object is ignored with a warning naming it
  (``measures.senoir``), as the contract asks: it may grow new optional fields. The
  warnings come back on ``Case.warnings``; ``suggest_program`` prints them on standard
  error. Top-level keys starting with ``_`` are ignored silently (comments, metadata).
- A known key with an invalid value is refused (``DataFileError`` naming the field).
- ``true``/``false`` is never a number and a string is never a number or a date.
- Numbers are checked against the plausible ranges of ``assessments.measures``; body
  regions against the closed vocabulary ``findings.BODY_REGIONS``.
- ``assessed_on`` may not be after ``today`` when the caller gives one.
- ``null`` for a measure means "not measured", the same as leaving the key out.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from assessments.delivery import DELIVERY_TYPES
from assessments.findings import BODY_REGIONS, OHS_COMPENSATIONS
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
from assessments.measures import MEASURES, measures_in, range_error, sitting_height_error
from assessments.posture import GAIT, POSTURE_DEVIATIONS, VIEWS
from clients.population import Population, add_years, age_on, population_on, weeks_since
from core.data_files import NOT_EMPTY, REQUIRED, DataFileError, one_of, wrong_type

SEXES = ("female", "male")
SIDES = ("left", "right", "both")
PARQ_QUESTIONS = range(1, 8)
MAX_AGE_YEARS = 120
# ``age_years`` alone stands for a birthday half a year before the last one: every date in
# that year of life is equally likely, so the middle keeps the decimal age (used by the
# maturity equations) unbiased while the completed age stays exactly ``age_years``.
HALF_YEAR = timedelta(days=182)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# The numbers of each case-format group, from the one measure declaration.
_NUMBER_FIELDS = tuple(spec.field for spec in measures_in(None))
_SENIOR_FIELDS = tuple(spec.field for spec in measures_in("senior"))
_POSTPARTUM_NUMBERS = tuple(spec.field for spec in measures_in("postpartum"))
_POSTPARTUM_FLAGS = ("doming", "leakage", "heaviness", "pelvic_pain")
_YOUTH_NUMBERS = tuple(spec.field for spec in measures_in("youth"))


# The old name of the one error type, kept until programs/views.py imports DataFileError.


def _invalid(field: str, message: str) -> DataFileError:
    """An invalid case: the dotted JSON path of the offending field (no file), and why."""
    return DataFileError(None, field, message)


@dataclass(frozen=True)
class Case:
    """One validated case: the client's facts, the measures, and what follows from the dates."""

    facts: ClientFacts
    measures: Measures
    population: Population
    age: int  # completed years on the assessment date
    weeks_postpartum: float | None  # None without a delivery date
    birth_date_derived: bool = False  # True when the case gave age_years, not birth_date
    warnings: tuple[str, ...] = ()  # unknown keys that were ignored, one line each

    @property
    def assessed_on(self) -> date:
        return self.facts.assessed_on


# The unknown keys met while one parse_case call runs (a context variable, so that the
# nested readers need not pass a list down and concurrent parses never mix).
_IGNORED: ContextVar[list[str]] = ContextVar("ignored_case_keys")


def _object(value: Any, path: str, allowed: tuple[str, ...]) -> dict:
    """An object; unknown keys are noted as warnings and left out. ``path`` "" is the case."""
    if not isinstance(value, dict):
        raise _invalid(path or "(case)", wrong_type("an object", value))
    unknown = [key for key in value if key not in allowed]
    for key in unknown:
        _IGNORED.get().append(
            f"{f'{path}.{key}' if path else key}: unknown key ignored "
            f"(expected one of: {', '.join(allowed)})"
        )
    return {key: item for key, item in value.items() if key in allowed}


def _list(value: Any, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _invalid(path, wrong_type("a list", value))
    return value


def _text(value: Any, path: str, choices: tuple[str, ...] | None = None) -> str:
    if not isinstance(value, str):
        raise _invalid(path, wrong_type("a string", value))
    if choices is not None and value not in choices:
        raise _invalid(path, one_of(value, choices))
    if not value.strip():
        raise _invalid(path, NOT_EMPTY)
    return value


def _flag(value: Any, path: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _invalid(path, wrong_type("true, false or null", value))
    return value


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _invalid(path, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(path, f"{value!r} is not a calendar date") from None


def _whole(value: Any, path: str) -> int:
    # JSON has one number type: 34.0 is 34. A flag or a string here gets the plain
    # "must be a whole number" the command line has always printed (kept exactly).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(path, wrong_type("a whole number", value))
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinity
        raise _invalid(path, wrong_type("a whole number", value))
    return int(value)


def _measure(value: Any, path: str, key: str) -> float | int | None:
    """A measured number checked against ``assessments.measures``; null means not measured."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(path, wrong_type("a number", value, numeric=True))
    message = range_error(key, value)
    if message:
        raise _invalid(path, message)
    # range_error has already refused fractions for whole-number measures.
    return int(value) if MEASURES[key].integer else float(value)


def _client(data: dict, assessed_on: date) -> tuple[date, bool, str, date | None, str | None]:
    client = _object(data, "client", ("age_years", "birth_date", "sex", "postpartum"))
    if client.get("sex") is None:
        raise _invalid("client.sex", REQUIRED)
    sex = _text(client["sex"], "client.sex", SEXES)
    has_age, has_birth = client.get("age_years") is not None, client.get("birth_date") is not None
    if has_age == has_birth:
        raise _invalid("client.age_years", "give either client.age_years or client.birth_date")
    if has_birth:
        birth_date = _date(client["birth_date"], "client.birth_date")
        if birth_date > assessed_on:
            raise _invalid("client.birth_date", "must not be after assessed_on")
        if age_on(birth_date, assessed_on) > MAX_AGE_YEARS:
            raise _invalid("client.birth_date", f"gives an age over {MAX_AGE_YEARS} years")
    else:
        age = _whole(client["age_years"], "client.age_years")
        if not 0 <= age <= MAX_AGE_YEARS:
            raise _invalid("client.age_years", f"must be between 0 and {MAX_AGE_YEARS}")
        birth_date = add_years(assessed_on, -age) - HALF_YEAR
    delivery_date = delivery_type = None
    if client.get("postpartum") is not None:
        path = "client.postpartum"
        postpartum = _object(client["postpartum"], path, ("delivery_date", "delivery_type"))
        if sex != "female":
            raise _invalid(path, "applies to female clients only")
        if postpartum.get("delivery_date") is None:
            raise _invalid(f"{path}.delivery_date", REQUIRED)
        delivery_date = _date(postpartum["delivery_date"], f"{path}.delivery_date")
        # null (or absent): the type was not recorded; assessments.delivery says what applies.
        if postpartum.get("delivery_type") is not None:
            delivery_type = _text(
                postpartum["delivery_type"], f"{path}.delivery_type", DELIVERY_TYPES
            )
        if delivery_date > assessed_on:
            raise _invalid(f"{path}.delivery_date", "must not be after assessed_on")
        if delivery_date <= birth_date:
            raise _invalid(f"{path}.delivery_date", "must be after the client's birth date")
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
            raise _invalid(path, "must be a PAR-Q+ general question number from 1 to 7")
        if number in numbers:
            raise _invalid(path, f"question {number} is listed twice")
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
                raise _invalid(f"{where}.code", REQUIRED)
            code = _text(item["code"], f"{where}.code", tuple(vocabulary))
            if item.get("side") is not None:
                side = _text(item["side"], f"{where}.side", SIDES)
            if item.get("view") is not None:
                view = _text(item["view"], f"{where}.view", tuple(VIEWS))
        else:
            code = _text(item, where, tuple(vocabulary))
        observation = make(code, side, view)
        if observation in found:
            raise _invalid(where, f"{code!r} is listed twice")
        found.append(observation)
    return tuple(found)


def _gait(items: Any) -> tuple[str, ...]:
    codes: list[str] = []
    for index, item in enumerate(_list(items, "measures.gait")):
        code = _text(item, f"measures.gait[{index}]", tuple(GAIT))
        if code in codes:
            raise _invalid(f"measures.gait[{index}]", f"{code!r} is listed twice")
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
    """A body region id of the closed vocabulary (findings.BODY_REGIONS)."""
    return _text(value, path, tuple(BODY_REGIONS))


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
        raise _invalid("measures.youth.sitting_height_cm", message)
    parts = []
    for index, item in enumerate(_list(section.get("growth_pain"), "measures.youth.growth_pain")):
        part = _region(item, f"measures.youth.growth_pain[{index}]")
        if part in parts:
            raise _invalid(f"measures.youth.growth_pain[{index}]", f"{part!r} is listed twice")
        parts.append(part)
    return YouthMeasures(**numbers, growth_pain=tuple(parts))


def _pain(items: Any) -> tuple[PainReport, ...]:
    reports = []
    for index, item in enumerate(_list(items, "measures.pain")):
        path = f"measures.pain[{index}]"
        report = _object(item, path, ("region", "score"))
        for key in ("region", "score"):
            if report.get(key) is None:
                raise _invalid(f"{path}.{key}", REQUIRED)
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


def parse_case(data: Any, *, today: date | None = None) -> Case:
    """Validate a case-format input object; raise DataFileError naming the first bad field.

    With ``today``, an ``assessed_on`` after it is refused (ages are computed at that date).
    """
    ignored: list[str] = []
    token = _IGNORED.set(ignored)
    try:
        return replace(_parse(data, today), warnings=tuple(ignored))
    finally:
        _IGNORED.reset(token)


def _parse(data: Any, today: date | None) -> Case:
    if not isinstance(data, dict):
        raise _invalid("(case)", wrong_type("a JSON object", data))
    data = _object({k: v for k, v in data.items() if not str(k).startswith("_")}, "", _TOP_KEYS)
    for key in ("client", "assessed_on"):
        if data.get(key) is None:
            raise _invalid(key, REQUIRED)
    assessed_on = _date(data["assessed_on"], "assessed_on")
    if today is not None and assessed_on > today:
        raise _invalid("assessed_on", f"must not be in the future (today is {today})")
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
    return case_of(facts, _measures(data.get("measures")), birth_date_derived=derived)


def case_of(facts: ClientFacts, measures: Measures, *, birth_date_derived: bool = False) -> Case:
    """A case from the client's facts and the measures, with what follows from the dates."""
    return Case(
        facts=facts,
        measures=measures,
        population=population_on(facts.birth_date, facts.delivery_date, facts.assessed_on),
        age=age_on(facts.birth_date, facts.assessed_on),
        weeks_postpartum=(
            None
            if facts.delivery_date is None
            else weeks_since(facts.delivery_date, facts.assessed_on)
        ),
        birth_date_derived=birth_date_derived,
    )


# --- Writing a case: the exact inverse of parse_case ---------------------------------------


def case_to_dict(case: Case) -> dict:
    """The case-format input object of a case, the exact inverse of ``parse_case``.

    ``parse_case(case_to_dict(case))`` gives ``case`` back for every case it returns (its
    warnings aside). What was not measured is left out, which ``parse_case`` reads as such.
    """
    facts = case.facts
    client: dict[str, Any] = {"sex": facts.sex}
    if case.birth_date_derived:
        client["age_years"] = case.age
    else:
        client["birth_date"] = facts.birth_date.isoformat()
    if facts.delivery_date is not None:
        client["postpartum"] = {
            "delivery_date": facts.delivery_date.isoformat(),
            "delivery_type": facts.delivery_type,  # null: not recorded
        }
    return {
        "client": client,
        "assessed_on": facts.assessed_on.isoformat(),
        "screening": {
            "parq_yes": list(facts.parq_yes),
            "clearance_recorded": facts.clearance_recorded,
        },
        "measures": _measures_dict(case.measures),
    }


def _taken(section: Any) -> dict[str, Any]:
    """A group's values that were taken, lists for tuples (an empty list is left out)."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in vars(section).items()
        if value is not None and value != ()
    }


def _observation_dict(observation: PostureObservation | OhsObservation) -> str | dict:
    """A bare code when neither side nor view was noted, else the object form."""
    detail = _taken(observation)
    return observation.code if set(detail) == {"code"} else detail


def _measures_dict(measures: Measures) -> dict[str, Any]:
    out: dict[str, Any] = {
        field: getattr(measures, field)
        for field in _NUMBER_FIELDS
        if getattr(measures, field) is not None
    }
    if measures.posture:
        out["posture"] = [_observation_dict(o) for o in measures.posture]
    if measures.ohs:
        out["ohs"] = [_observation_dict(o) for o in measures.ohs]
    if measures.gait:
        out["gait"] = list(measures.gait)
    for group in ("senior", "postpartum", "youth"):
        section = getattr(measures, group)
        if section is not None:  # an empty object: the section was recorded, nothing in it
            out[group] = _taken(section)
    if measures.pain:
        out["pain"] = [{"region": p.region, "score": p.score} for p in measures.pain]
    return out
