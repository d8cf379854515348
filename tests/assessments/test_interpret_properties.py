from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.findings import REFERRAL_REASONS, REGIONS, Finding, Severity
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
from assessments.interpret import interpret, referral_for
from assessments.measures import MEASURES
from assessments.posture import GAIT, OHS, POSTURE_DEVIATIONS, VIEWS

ON = date(2026, 11, 20)
SIDES = st.sampled_from([None, "left", "right", "both"])


def measured(key):
    """None (not measured) or any value the forms would accept for ``key``."""
    spec = MEASURES[key]
    if spec.integer:
        values = st.integers(int(spec.minimum), int(spec.maximum))
    else:
        values = st.floats(spec.minimum, spec.maximum, allow_nan=False)
    return st.none() | values


def section(cls, prefix, **extra):
    fields = {
        key.split(".", 1)[1]: measured(key) for key in MEASURES if key.startswith(f"{prefix}.")
    }
    return st.none() | st.builds(cls, **fields, **extra)


measures_strategy = st.builds(
    Measures,
    cva_deg=measured("cva_deg"),
    wall_distance_cm=measured("wall_distance_cm"),
    screen_hours_per_day=measured("screen_hours_per_day"),
    pelvic_tilt_left_deg=measured("pelvic_tilt_left_deg"),
    pelvic_tilt_right_deg=measured("pelvic_tilt_right_deg"),
    posture=st.lists(
        st.builds(PostureObservation, st.sampled_from(list(POSTURE_DEVIATIONS)), SIDES)
    ).map(tuple),
    ohs=st.lists(
        st.builds(
            OhsObservation,
            st.sampled_from(list(OHS)),
            st.none() | st.sampled_from(list(VIEWS)),
            SIDES,
        )
    ).map(tuple),
    gait=st.lists(st.sampled_from(list(GAIT))).map(tuple),
    senior=section(SeniorTests, "senior"),
    postpartum=section(
        PostpartumMeasures,
        "postpartum",
        doming=st.none() | st.booleans(),
        leakage=st.none() | st.booleans(),
        heaviness=st.none() | st.booleans(),
        pelvic_pain=st.none() | st.booleans(),
    ),
    youth=section(
        YouthMeasures,
        "youth",
        growth_pain=st.lists(st.sampled_from(["knee", "heel", "hip", "low_back"])).map(tuple),
    ).filter(
        lambda y: (
            y is None
            or y.height_cm is None
            or y.sitting_height_cm is None
            or y.sitting_height_cm < y.height_cm
        )
    ),
    pain=st.lists(
        st.builds(
            PainReport,
            st.sampled_from(["neck", "low_back", "knee"]),
            measured("pain.score").filter(lambda s: s is not None),
        )
    ).map(tuple),
)

facts_strategy = st.builds(
    ClientFacts,
    sex=st.sampled_from(["female", "male"]),
    birth_date=st.integers(5 * 366, 100 * 365).map(lambda days: ON - timedelta(days=days)),
    assessed_on=st.just(ON),
    delivery_date=st.none() | st.integers(0, 400).map(lambda days: ON - timedelta(days=days)),
    delivery_type=st.none() | st.sampled_from(["vaginal", "caesarean"]),
    parq_yes=st.lists(st.integers(1, 7), unique=True).map(tuple),
    clearance_recorded=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(measures=measures_strategy, facts=facts_strategy)
def test_interpret_never_raises_and_gives_the_same_answer_twice(measures, facts):
    first = interpret(measures, facts)
    assert first == interpret(measures, facts)
    assert referral_for(measures, facts, first) == referral_for(measures, facts, first)


@settings(max_examples=300, deadline=None)
@given(measures=measures_strategy, facts=facts_strategy)
def test_every_finding_keeps_to_the_shared_vocabulary(measures, facts):
    findings = interpret(measures, facts)
    assert all(isinstance(f, Finding) for f in findings)
    assert all(f.region in REGIONS and isinstance(f.severity, Severity) for f in findings)
    assert all(f.explanation and f.source for f in findings)
    assert set(referral_for(measures, facts, findings).reasons) <= set(REFERRAL_REASONS)
