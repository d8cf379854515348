"""The attention rule once: the pure rule (programs.adherence.needs_attention) and its SQL
twins behind the dashboard's list agree on the same rows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from programs import adherence, selectors
from programs.adherence import needs_attention, weeks
from programs.models import ProgramVersion, SessionLog
from tests.factories import PainAcknowledgementFactory, ProgramVersionFactory, SessionLogFactory

# Days ago, often at the two weeks' edge, and pain ratings, often at the alert level.
DAYS_AGO = st.sampled_from([13, 14, 15]) | st.integers(min_value=0, max_value=30)
PAIN = st.none() | st.sampled_from([4, 5]) | st.integers(min_value=0, max_value=10)
# (days ago, pain, acknowledged, warning sign); clamped below to the publication day.
SESSIONS = st.lists(st.tuples(DAYS_AGO, PAIN, st.booleans(), st.booleans()), max_size=4)
# The edges, tried on every run.
EDGES = [
    (14, []),
    (13, []),
    (20, [(14, 5, False, False)]),
    (20, [(14, None, False, False)]),
    (20, [(13, 9, True, False)]),
    (20, [(14, None, False, True)]),
    (20, [(15, 2, False, True)]),
    (20, [(3, None, True, True)]),
]


def edges(test):
    for published_days_ago, sessions in EDGES:
        test = example(published_days_ago=published_days_ago, sessions=sessions)(test)
    return test


@pytest.fixture
def plan(client_record):
    return ProgramVersionFactory(published=True, program__client=client_record)


def _record(plan, published_days_ago, sessions):
    """Store the history; the rows as the pure rule reads them (acknowledged pain and
    warning signs left out) and the days of the warning signs still open."""
    SessionLog.objects.filter(version=plan).delete()
    plan.published_at = timezone.now() - timedelta(days=published_days_ago)
    plan.save(update_fields=["published_at"])
    today = timezone.localdate()
    logged, flagged = [], []
    for days_ago, pain, acknowledged, red_flag in sessions:
        done_on = today - timedelta(days=min(days_ago, published_days_ago))
        session = SessionLogFactory(version=plan, done_on=done_on, pain=pain, red_flag=red_flag)
        if acknowledged:
            PainAcknowledgementFactory(session=session)
        logged.append((done_on, None if acknowledged else pain))
        if red_flag and not acknowledged:
            flagged.append(done_on)
    return logged, flagged


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(published_days_ago=DAYS_AGO, sessions=SESSIONS)
@edges
def test_the_sql_twins_find_the_plans_the_rule_finds(plan, published_days_ago, sessions):
    logged, flagged = _record(plan, published_days_ago, sessions)
    today = timezone.localdate()
    reasons = adherence.needs_attention(plan.published_at.date(), logged, on=today, flagged=flagged)
    in_pain = adherence.alerting_sessions(on=today).filter(version=plan).exists()
    quiet = adherence.quiet(ProgramVersion.objects.filter(pk=plan.pk), on=today).exists()
    alerts = [r for r in reasons if r.startswith("pain rated") or r == adherence.RED_FLAG_REASON]
    assert in_pain == bool(alerts)
    assert quiet == any(reason.startswith("no session logged") for reason in reasons)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(published_days_ago=DAYS_AGO, sessions=SESSIONS)
@edges
def test_the_dashboard_lists_a_plan_with_the_reasons_the_rule_gives(
    plan, specialist_user, published_days_ago, sessions
):
    logged, flagged = _record(plan, published_days_ago, sessions)
    today = timezone.localdate()
    listed = {v.pk: v.reasons for v in selectors.attention(specialist_user, today=today)}
    expected = adherence.needs_attention(
        plan.published_at.date(), logged, on=today, flagged=flagged
    )
    assert listed.get(plan.pk, []) == expected


# --- The pure rule's weeks and its edges ----------------------------------------------------------

TODAY = timezone.localdate()


def test_weeks_count_sessions_and_the_worst_pain():
    start = TODAY - timedelta(days=10)
    daily = [(start, 1, 2), (start + timedelta(days=1), 1, 4), (start + timedelta(days=8), 1, None)]
    result = weeks(start, 3, daily, on=TODAY)
    assert [(w.number, w.done, w.planned, w.worst_pain) for w in result] == [
        (1, 2, 3, 4),
        (2, 1, 3, None),
    ]


def test_old_pain_does_not_count_for_attention():
    assert (
        needs_attention(
            TODAY - timedelta(days=30), [(TODAY - timedelta(days=20), 8), (TODAY, 1)], on=TODAY
        )
        == []
    )
