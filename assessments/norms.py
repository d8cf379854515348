"""Senior norm tables and fall-risk cut-offs: load, convert and look up (pure, no ORM).

The tables live in ``assessments/data/norms/*.json`` in the reference's own units, every
row carrying its source id (``shared/domain/reference.md`` §6.1, §6.2). Conversion to the
app's units happens here, once, at load time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from assessments.findings import SENIOR_NORM_TESTS, Band
from assessments.inputs import SeniorTests

DATA_DIR = Path(__file__).resolve().parent / "data" / "norms"

SEXES = ("female", "male")
_PEOPLE = {"female": "women", "male": "men"}
NORM_FIRST_AGE = 60
NORM_LAST_AGE = 94
AGE_BANDS = tuple((start, start + 4) for start in range(NORM_FIRST_AGE, NORM_LAST_AGE, 5))

# Exact factors, as Decimal so that 610 yd is 557.784 m and not 557.7840000000001.
_CONVERSIONS: dict[tuple[str, str], Decimal] = {
    ("in", "cm"): Decimal("2.54"),
    ("yd", "m"): Decimal("0.9144"),
}

# Practice default: the norms stop at 94, and the 90-94 band is the closest evidence for
# an older client. Marked as such on every result it produces.
OVER_94_NOTE = (
    "The Senior Fitness Test norms stop at age 94; the 90-94 band is used as a practice default."
)


class NormDataError(ValueError):
    """A norm file breaks the shape this module relies on."""


@dataclass(frozen=True)
class NormRow:
    sex: str
    age_low: int
    age_high: int
    low: float  # in the app's unit
    high: float
    source: str


@dataclass(frozen=True)
class SeniorNormTest:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    status: str
    choice: str  # which of two disagreeing versions was kept, and why ("" when none)
    rows: tuple[NormRow, ...]


@dataclass(frozen=True)
class NormResult:
    """Where one senior test result falls against its age and sex norm.

    ``band`` is None when no norm applies (client under 60); ``note`` then says why.
    """

    test: str
    value: float
    band: Band | None
    low: float | None
    high: float | None
    unit: str
    source: str | None
    age_band: tuple[int, int] | None
    higher_is_better: bool = True
    practice_default: bool = False
    note: str = ""

    @property
    def range_text(self) -> str:
        """The normal range as the specialist reads it, e.g. "10-15 repetitions"."""
        if self.low is None or self.high is None:
            return "no norm"
        low, high = _shown(self.low, self.unit), _shown(self.high, self.unit)
        if self.higher_is_better:
            return f"{low} to {high} {self.unit}"
        return f"{high} to {low} {self.unit} (slow to fast)"


@dataclass(frozen=True)
class FallRiskResult:
    """One test compared with its CDC STEADI fall-risk cut-off."""

    test: str
    value: float
    at_risk: bool
    cutoff: float
    at_risk_when: str  # ">=" or "<"
    unit: str
    source: str
    reference: str  # e.g. "STEADI: 12 seconds or more = at risk of falling"
    practice_default: bool = False
    note: str = ""


def _fmt(number: float) -> str:
    # Bounds converted from inches carry false precision (-10.16 cm); one decimal reads true.
    return f"{round(number, 1):g}"


def _shown(number: float, unit: str) -> str:
    """A bound as displayed: metres converted from yards read better as whole metres."""
    return f"{number:.0f}" if unit == "m" else _fmt(number)


def _convert(value: float, source_unit: str, unit: str) -> float:
    if source_unit == unit:
        return float(value)
    try:
        factor = _CONVERSIONS[(source_unit, unit)]
    except KeyError:
        raise NormDataError(f"no conversion from {source_unit!r} to {unit!r}") from None
    return float(Decimal(str(value)) * factor)


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _check_bands(where: str, rows: list[dict]) -> None:
    """Each sex has exactly the seven 5-year bands 60-64 ... 90-94, each with a source."""
    for sex in SEXES:
        bands = sorted(tuple(row["ages"]) for row in rows if row["sex"] == sex)
        if bands != list(AGE_BANDS):
            raise NormDataError(f"{where}: {sex} rows must cover {AGE_BANDS}, got {bands}")
    for row in rows:
        if not row.get("source"):
            raise NormDataError(f"{where}: a row has no source id: {row}")


@cache
def senior_norm_tables() -> dict[str, SeniorNormTest]:
    """The Senior Fitness Test ranges (§6.1), converted to the app's units; read once."""
    data = _read("senior_fitness_test.json")
    tables: dict[str, SeniorNormTest] = {}
    for key in SENIOR_NORM_TESTS:
        spec = data["tests"][key]
        _check_bands(key, spec["rows"])
        rows = []
        for row in spec["rows"]:
            low = _convert(row["low"], spec["source_unit"], spec["unit"])
            high = _convert(row["high"], spec["source_unit"], spec["unit"])
            if low > high:
                raise NormDataError(f"{key}: low above high in {row}")
            rows.append(NormRow(row["sex"], *row["ages"], low, high, row["source"]))
        tables[key] = SeniorNormTest(
            key=key,
            label=spec["label"],
            unit=spec["unit"],
            higher_is_better=spec["higher_is_better"],
            status=spec["status"],
            choice=spec.get("choice", ""),
            rows=tuple(rows),
        )
    return tables


@dataclass(frozen=True)
class FallRiskCutoff:
    """A STEADI cut-off: at risk when ``value <at_risk_when> cutoff``."""

    test: str
    label: str
    unit: str
    at_risk_when: str  # ">=" or "<"
    cutoff: float
    source: str
    status: str
    meaning: str


@cache
def steadi_cutoffs() -> dict[str, FallRiskCutoff]:
    """The CDC STEADI cut-offs for TUG and tandem stance (§6.2); read once."""
    tests = _read("steadi_fall_risk.json")["tests"]
    return {
        key: FallRiskCutoff(
            test=key,
            label=tests[key]["label"],
            unit=tests[key]["unit"],
            at_risk_when=tests[key]["at_risk_when"],
            cutoff=tests[key]["cutoff"],
            source=tests[key]["source"],
            status=tests[key]["status"],
            meaning=tests[key]["meaning"],
        )
        for key in ("tug_s", "tandem_stance_s")
    }


@cache
def steadi_chair_stand_cutoffs() -> tuple[NormRow, ...]:
    """STEADI chair-stand counts by sex and age band (§6.2): fewer than ``low`` = at risk."""
    rows = _read("steadi_fall_risk.json")["tests"]["chair_stand_30s"]["rows"]
    _check_bands("steadi chair_stand_30s", rows)
    # NormRow with low == high == the cut-off, so the look-up code is shared.
    return tuple(
        NormRow(row["sex"], *row["ages"], row["cutoff"], row["cutoff"], row["source"])
        for row in rows
    )


def age_band_for(age: int) -> tuple[int, int] | None:
    """The 5-year norm band for an age in completed years; over 94 uses 90-94, under 60 none."""
    if age < NORM_FIRST_AGE:
        return None
    for band in AGE_BANDS:
        if band[0] <= age <= band[1]:
            return band
    return AGE_BANDS[-1]


def _check_sex(sex: str) -> None:
    if sex not in SEXES:
        raise ValueError(f"sex must be one of {SEXES}, got {sex!r}")


def senior_band(test: str, value: float, *, sex: str, age: int) -> NormResult:
    """Compare one Senior Fitness Test result with its age and sex range (bounds inclusive)."""
    _check_sex(sex)
    table = senior_norm_tables()[test]
    band = age_band_for(age)
    if band is None:
        return NormResult(
            test=test,
            value=value,
            band=None,
            low=None,
            high=None,
            unit=table.unit,
            source=None,
            age_band=None,
            higher_is_better=table.higher_is_better,
            note=(
                f"The Senior Fitness Test norms start at age {NORM_FIRST_AGE}; no comparison "
                f"is made at age {age}."
            ),
        )
    row = next(r for r in table.rows if r.sex == sex and (r.age_low, r.age_high) == band)
    if value < row.low:
        position = Band.BELOW if table.higher_is_better else Band.ABOVE
    elif value > row.high:
        position = Band.ABOVE if table.higher_is_better else Band.BELOW
    else:
        position = Band.WITHIN
    over_94 = age > NORM_LAST_AGE
    return NormResult(
        test=test,
        value=value,
        band=position,
        low=row.low,
        high=row.high,
        unit=table.unit,
        source=row.source,
        age_band=band,
        higher_is_better=table.higher_is_better,
        practice_default=over_94,
        note=OVER_94_NOTE if over_94 else "",
    )


def senior_results(senior: SeniorTests, sex: str, age: int) -> list[NormResult]:
    """Every measured Senior Fitness Test item against its norm, in the case-format order."""
    return [
        senior_band(test, getattr(senior, test), sex=sex, age=age)
        for test in SENIOR_NORM_TESTS
        if getattr(senior, test) is not None
    ]


def chair_stand_cutoff(*, sex: str, age: int) -> NormRow | None:
    """The STEADI chair-stand row for the client's sex and age band; None under 60."""
    _check_sex(sex)
    band = age_band_for(age)
    if band is None:
        return None
    return next(
        row
        for row in steadi_chair_stand_cutoffs()
        if row.sex == sex and (row.age_low, row.age_high) == band
    )


def _at_risk(value: float, when: str, cutoff: float) -> bool:
    if when == ">=":
        return value >= cutoff
    if when == "<":
        return value < cutoff
    raise NormDataError(f"unknown comparison {when!r}")


def fall_risk_results(senior: SeniorTests, *, sex: str, age: int) -> list[FallRiskResult]:
    """Each measured test that has a STEADI cut-off: TUG, tandem stance and chair stand."""
    results = []
    for key, spec in steadi_cutoffs().items():
        value = getattr(senior, key)
        if value is None:
            continue
        cutoff = f"{_fmt(spec.cutoff)} {spec.unit}"
        if spec.at_risk_when == ">=":
            reference = f"STEADI: {cutoff} or more = at risk of falling"
        else:
            reference = f"STEADI: less than {cutoff} = increased fall risk"
        results.append(
            FallRiskResult(
                test=key,
                value=value,
                at_risk=_at_risk(value, spec.at_risk_when, spec.cutoff),
                cutoff=spec.cutoff,
                at_risk_when=spec.at_risk_when,
                unit=spec.unit,
                source=spec.source,
                reference=reference,
            )
        )
    row = None
    if senior.chair_stand_30s is not None:
        row = chair_stand_cutoff(sex=sex, age=age)
    if row is not None:
        over_94 = age > NORM_LAST_AGE
        results.append(
            FallRiskResult(
                test="chair_stand_30s",
                value=senior.chair_stand_30s,
                at_risk=senior.chair_stand_30s < row.low,
                cutoff=row.low,
                at_risk_when="<",
                unit="repetitions",
                source=row.source,
                reference=(
                    f"STEADI: fewer than {_fmt(row.low)} repetitions for {_PEOPLE[sex]} "
                    f"aged {row.age_low}-{row.age_high} = increased fall risk"
                ),
                practice_default=over_94,
                note=OVER_94_NOTE if over_94 else "",
            )
        )
    return results
