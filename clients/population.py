"""Population derivation: youth, adult, senior or postpartum, from dates alone (pure).

Population is never typed by a user. Precedence when two apply: postpartum first (its
safety rules are the strictest and a delivery date is a deliberate record), then youth,
then senior.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

YOUTH_UNDER_YEARS = 18
SENIOR_FROM_YEARS = 60
# Practice default, not a published cut-off: how long after a delivery the client is
# treated as postpartum. Shown to the specialist as such.
POSTPARTUM_WINDOW_MONTHS = 12
POSTPARTUM_WINDOW_LABEL = (
    f"within {POSTPARTUM_WINDOW_MONTHS} months of a delivery (practice default)"
)


class Population(StrEnum):
    YOUTH = "youth"
    ADULT = "adult"
    SENIOR = "senior"
    POSTPARTUM = "postpartum"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on a date."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def decimal_age(birth_date: date, on: date) -> float:
    """Age in decimal years (days / 365.25), as the maturity-offset equations expect."""
    return (on - birth_date).days / 365.25


def is_postpartum_on(delivery_date: date | None, on: date) -> bool:
    """True from the delivery date until the window (12 months) has passed."""
    if delivery_date is None:
        return False
    return delivery_date <= on < add_months(delivery_date, POSTPARTUM_WINDOW_MONTHS)


def weeks_since(day: date, on: date) -> float:
    """Whole and partial weeks from ``day`` to ``on``."""
    return (on - day).days / 7


def population_on(birth_date: date, delivery_date: date | None, on: date) -> Population:
    """The client's population on a date."""
    if is_postpartum_on(delivery_date, on):
        return Population.POSTPARTUM
    age = age_on(birth_date, on)
    if age < YOUTH_UNDER_YEARS:
        return Population.YOUTH
    if age >= SENIOR_FROM_YEARS:
        return Population.SENIOR
    return Population.ADULT
