"""The day's schedule reads the same number of queries whatever the number of clients."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import schedule
from tests.factories import ClientFactory, specialist
from tests.reminders.reminding import MONDAY, plan, reminded_client


def add_clients(practice, count: int) -> None:
    """``count`` of each: a client reminded today with a re-test due, and a quiet client,
    each of a specialist of their own."""
    for _ in range(count):
        reminded = reminded_client(days="0", specialist=specialist(practice))
        plan(reminded, retest_on=MONDAY + timedelta(days=3), published_on=MONDAY)
        plan(ClientFactory(specialist=specialist(practice)), published_on=MONDAY - timedelta(30))


def queries_of_the_day() -> tuple[int, int]:
    """(queries, items) of the Monday's schedule."""
    with CaptureQueriesContext(connection) as queries:
        due = schedule.due_on(MONDAY)
    return len(queries), len(due)


def test_the_schedule_does_not_query_per_client(practice):
    add_clients(practice, 2)
    few, few_items = queries_of_the_day()
    add_clients(practice, 8)
    many, many_items = queries_of_the_day()
    assert many_items > few_items > 0
    assert many == few
