"""A saved assessment and its case: the web path builds exactly the case the CLI would read."""

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.interpret import interpret
from assessments.measures import MEASURES
from assessments.models import Assessment, Gait, OverheadSquat, PainReport, StaticPosture
from assessments.records import facts_from, measures_from
from assessments.sections import BY_KEY
from programs import services
from programs.case import case_to_dict, parse_case
from programs.engine import draft_to_dict, suggest
from programs.library import load_library
from programs.rules import load_ruleset
from tests.factories import (
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ScreeningFactory,
)
from tests.programs.test_engine_properties import cases

ON = date(2026, 11, 20)


def _finding(draft: dict, code: str) -> dict:
    return next(f for f in draft["findings"] if f["code"] == code)


def test_a_posture_observation_keeps_its_side_in_the_draft(client_record):
    assessment = AssessmentFactory(client=client_record, assessed_on=ON)
    StaticPosture.objects.create(
        assessment=assessment, observations=[{"code": "pelvic_obliquity", "side": "right"}]
    )
    _, draft = services.draft_for(assessment)
    assert "on the right side" in _finding(draft, "pelvic_asymmetry")["explanation"]


def test_a_squat_compensation_keeps_its_side_in_the_draft(client_record):
    assessment = AssessmentFactory(client=client_record, assessed_on=ON)
    OverheadSquat.objects.create(
        assessment=assessment,
        observations=[{"code": "knees_in", "view": "anterior", "side": "left"}],
    )
    _, draft = services.draft_for(assessment)
    assert "on the left side" in _finding(draft, "ohs_knees_in")["explanation"]


def test_an_unrecorded_birth_type_waits_the_caesarean_eight_weeks_on_the_web_path(
    specialist_user,
):
    client = ClientFactory(
        specialist=specialist_user,
        birth_date=date(1994, 3, 1),
        delivery_date=ON - timedelta(weeks=7),
        delivery_type="",
    )
    _, draft = services.draft_for(AssessmentFactory(client=client, assessed_on=ON))
    assert "postpartum_not_cleared" in draft["referral"]["reasons"]
    assert "birth type not recorded" in " ".join(draft["referral"]["details"])


# --- Properties: the web path and the parser are exact inverses --------------------------------

RECORDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def any_cases(draw):
    """Valid case-format inputs, some with the birth type left unrecorded (null)."""
    data = draw(cases())
    postpartum = data["client"].get("postpartum")
    if postpartum is not None and draw(st.booleans()):
        postpartum["delivery_type"] = None
    return data


@RECORDED
@given(any_cases())
def test_writing_a_case_and_reading_it_back_gives_the_same_case(data):
    case = parse_case(data)
    assert parse_case(json.loads(json.dumps(case_to_dict(case)))) == case


def _section_values(measures) -> dict[str, dict]:
    """Each recorded section's model fields, from the measure declarations."""
    groups = {"senior": measures.senior, "postpartum": measures.postpartum, "youth": measures.youth}
    values: dict[str, dict] = {}
    for spec in MEASURES.values():
        if spec.section == "pain":
            continue
        holder = measures if spec.group is None else groups[spec.group]
        if holder is not None:
            values.setdefault(spec.section, {})[spec.field] = getattr(holder, spec.field)
    if measures.postpartum is not None:
        for flag in ("doming", "leakage", "heaviness", "pelvic_pain"):
            values["postpartum"][flag] = getattr(measures.postpartum, flag)
    if measures.youth is not None:
        values["youth"]["growth_pain"] = list(measures.youth.growth_pain)
    return values


def _save(case, specialist_user) -> Assessment:
    """The case as a specialist would have recorded it through the pages."""
    facts, measures = case.facts, case.measures
    client = ClientFactory(
        specialist=specialist_user,
        birth_date=facts.birth_date,
        sex=facts.sex,
        delivery_date=facts.delivery_date,
        delivery_type=facts.delivery_type or "",
    )
    if facts.parq_yes:
        ScreeningFactory(
            client=client,
            screened_on=facts.assessed_on - timedelta(days=1),
            **{f"q{number}": True for number in facts.parq_yes},
        )
    if facts.clearance_recorded:
        ClearanceFactory(client=client, cleared_on=facts.assessed_on)
    assessment = AssessmentFactory(client=client, assessed_on=facts.assessed_on)
    for key, fields in _section_values(measures).items():
        BY_KEY[key].model.objects.create(assessment=assessment, **fields)
    if measures.posture:
        StaticPosture.objects.create(
            assessment=assessment,
            observations=[{"code": o.code, "side": o.side} for o in measures.posture],
        )
    if measures.ohs:
        OverheadSquat.objects.create(
            assessment=assessment,
            observations=[{"code": o.code, "view": o.view, "side": o.side} for o in measures.ohs],
        )
    if measures.gait:
        Gait.objects.create(assessment=assessment, deviations=list(measures.gait))
    for report in measures.pain:
        PainReport.objects.create(assessment=assessment, region=report.region, score=report.score)
    return Assessment.objects.get(pk=assessment.pk)


@RECORDED
@given(any_cases())
def test_a_saved_assessment_and_its_case_give_the_same_findings(specialist_user, data):
    case = parse_case(data)
    assessment = _save(case, specialist_user)
    facts, measures = facts_from(assessment), measures_from(assessment)
    from_case = services.case_from(assessment)
    assert (from_case.facts, from_case.measures) == (case.facts, case.measures)
    page = [f.as_case_dict() for f in interpret(measures, facts)]
    assert page == [f.as_case_dict() for f in interpret(from_case.measures, from_case.facts)]


def _draft_for_birth(delivery_type):
    data = {
        "client": {
            "birth_date": "1994-03-01",
            "sex": "female",
            "postpartum": {"delivery_date": "2026-10-09", "delivery_type": delivery_type},
        },
        "assessed_on": ON.isoformat(),
        "measures": {},
    }
    return draft_to_dict(suggest(parse_case(data), ruleset=load_ruleset(), library=load_library()))


CAESAREAN_ONLY_RULES = tuple(
    rule.id for rule in load_ruleset().safety if rule.when.delivery_types == ("caesarean",)
)


def _safety_rules(draft: dict) -> set[str]:
    return {fired["id"] for fired in draft["rules_fired"] if fired["kind"] == "safety"}


def test_an_unrecorded_birth_type_gets_the_caesarean_safety_rules():
    unrecorded, caesarean = _draft_for_birth(None), _draft_for_birth("caesarean")
    assert _safety_rules(unrecorded) == _safety_rules(caesarean)
    assert set(CAESAREAN_ONLY_RULES) & _safety_rules(unrecorded)
    assert unrecorded["referral"]["reasons"] == caesarean["referral"]["reasons"]
