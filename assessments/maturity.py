"""Maturity offset (years from peak height velocity) from anthropometry (pure).

Equations and bands from ``shared/domain/reference.md`` §8.1. Units: age in decimal years,
heights in cm, mass in kg. Leg length = standing height - sitting height.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MIRWALD_SOURCE = "Mirwald-abstract, MedicalAlgorithms, JSSM-table"
MOORE_SOURCE = "JSSM-table, Moore-suppl"
STAGE_SOURCE = "Code-youthapp"

# Convention, not a single published standard (§8.1 "Maturity status bands", C convention):
# circa-PHV is -1.0 to +1.0 years inclusive.
CIRCA_PHV_FROM = -1.0
CIRCA_PHV_TO = 1.0

# Where the Mirwald equations are most accurate (MedicalAlgorithms, §8.1).
BEST_ACCURACY_AGES = {"male": (12, 16), "female": (9, 13)}


class MaturityStage(StrEnum):
    PRE_PHV = "pre_phv"
    CIRCA_PHV = "circa_phv"
    POST_PHV = "post_phv"

    @property
    def label(self) -> str:
        return {"pre_phv": "Pre-PHV", "circa_phv": "Circa-PHV", "post_phv": "Post-PHV"}[self]


class Equation(StrEnum):
    MIRWALD_2002 = "mirwald_2002"
    MOORE_2015 = "moore_2015"


@dataclass(frozen=True)
class MaturityEstimate:
    """A maturity offset, the age at PHV it implies and the stage band it falls in."""

    offset: float  # years; negative = before PHV
    age_at_phv: float
    stage: MaturityStage
    equation: Equation
    source: str


def _check_sex(sex: str) -> None:
    if sex not in ("female", "male"):
        raise ValueError(f"sex must be 'female' or 'male', got {sex!r}")


def mirwald_offset(
    *, sex: str, age_years: float, height_cm: float, sitting_height_cm: float, weight_kg: float
) -> float:
    """Mirwald et al. 2002 (MSSE 34:689-694) maturity offset in years."""
    _check_sex(sex)
    leg = height_cm - sitting_height_cm
    # Weight-for-height ratio as mass / height x 100, as in the original and the code
    # implementations; MedicalAlgorithms prints it without x 100 (§8.1 warning).
    weight_for_height = weight_kg / height_cm * 100
    if sex == "male":
        return (
            -9.236
            + 0.0002708 * (leg * sitting_height_cm)
            - 0.001663 * (age_years * leg)
            + 0.007216 * (age_years * sitting_height_cm)
            + 0.02292 * weight_for_height
        )
    return (
        -9.376
        + 0.0001882 * (leg * sitting_height_cm)
        + 0.0022 * (age_years * leg)
        + 0.005841 * (age_years * sitting_height_cm)
        - 0.002658 * (age_years * weight_kg)
        + 0.07693 * weight_for_height
    )


def moore_offset(
    *, sex: str, age_years: float, height_cm: float, sitting_height_cm: float | None = None
) -> float:
    """Moore et al. 2015 (MSSE 47:1755-1764) simplified maturity offset in years.

    Boys use sitting height when given ("Moore-1"), standing height otherwise ("Moore-2").
    """
    _check_sex(sex)
    if sex == "female":
        return -7.709133 + 0.0042232 * (age_years * height_cm)
    if sitting_height_cm is not None:
        # -8.128741 as in every code implementation; one table prints -8.125741 (§8.1).
        return -8.128741 + 0.0070346 * (age_years * sitting_height_cm)
    return -7.999994 + 0.0036124 * (age_years * height_cm)


def maturity_stage(offset: float) -> MaturityStage:
    """Pre-PHV below -1.0 years, circa-PHV from -1.0 to +1.0, post-PHV above +1.0."""
    if offset < CIRCA_PHV_FROM:
        return MaturityStage.PRE_PHV
    if offset > CIRCA_PHV_TO:
        return MaturityStage.POST_PHV
    return MaturityStage.CIRCA_PHV


def age_at_phv(age_years: float, offset: float) -> float:
    """Age at peak height velocity = chronological age - maturity offset."""
    return age_years - offset


def estimate_maturity(
    *,
    sex: str,
    age_years: float,
    height_cm: float,
    sitting_height_cm: float | None,
    weight_kg: float | None,
) -> MaturityEstimate:
    """Mirwald when sitting height and mass are known, otherwise Moore's simplified form.

    The offset is rounded to 2 decimals before banding, so the stage matches the number shown.
    """
    if sitting_height_cm is not None and weight_kg is not None:
        raw = mirwald_offset(
            sex=sex,
            age_years=age_years,
            height_cm=height_cm,
            sitting_height_cm=sitting_height_cm,
            weight_kg=weight_kg,
        )
        equation, source = Equation.MIRWALD_2002, MIRWALD_SOURCE
    else:
        raw = moore_offset(
            sex=sex, age_years=age_years, height_cm=height_cm, sitting_height_cm=sitting_height_cm
        )
        equation, source = Equation.MOORE_2015, MOORE_SOURCE
    offset = round(raw, 2)
    return MaturityEstimate(
        offset=offset,
        age_at_phv=round(age_at_phv(age_years, offset), 2),
        stage=maturity_stage(offset),
        equation=equation,
        source=source,
    )
