from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clients.population import (
    Population,
    add_months,
    age_on,
    is_postpartum_on,
    population_on,
)

ON = date(2026, 11, 24)


def test_client_one_day_short_of_18_is_youth():
    assert population_on(date(2008, 11, 25), None, ON) is Population.YOUTH


def test_client_turning_18_today_is_adult():
    assert population_on(date(2008, 11, 24), None, ON) is Population.ADULT


def test_client_aged_17_is_youth():
    assert population_on(date(2009, 1, 1), None, ON) is Population.YOUTH


def test_client_one_day_short_of_60_is_adult():
    assert population_on(date(1966, 11, 25), None, ON) is Population.ADULT


def test_client_turning_60_today_is_senior():
    assert population_on(date(1966, 11, 24), None, ON) is Population.SENIOR


def test_client_aged_59_is_adult():
    assert population_on(date(1967, 1, 1), None, ON) is Population.ADULT


def test_delivery_one_day_short_of_12_months_is_postpartum():
    assert population_on(date(1994, 3, 3), date(2025, 11, 25), ON) is Population.POSTPARTUM


def test_delivery_exactly_12_months_ago_is_no_longer_postpartum():
    assert population_on(date(1994, 3, 3), date(2025, 11, 24), ON) is Population.ADULT


def test_delivery_today_is_postpartum():
    assert population_on(date(1994, 3, 3), ON, ON) is Population.POSTPARTUM


def test_future_delivery_date_is_not_postpartum():
    assert not is_postpartum_on(date(2026, 12, 1), ON)


def test_postpartum_takes_precedence_over_youth():
    assert population_on(date(2009, 6, 1), date(2026, 9, 1), ON) is Population.POSTPARTUM


def test_leap_day_birthday_counts_on_28_february():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 15), 12) == date(2026, 3, 15)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=ON),
    on=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_age_never_decreases_with_time(birth, on):
    assert age_on(birth, on) <= age_on(birth, add_months(on, 1))
