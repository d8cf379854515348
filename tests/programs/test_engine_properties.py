"""Properties over generated valid cases: the engine never raises, is deterministic, keeps
the contract shape and never hands out an exercise a fired safety rule excludes."""

import json
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.findings import BODY_REGIONS, OHS_COMPENSATIONS, REFERRAL_REASONS
from assessments.measures import MEASURES
from assessments.posture import GAIT, POSTURE_DEVIATIONS, VIEWS
from core.data_files import DataFileError
from programs.case import parse_case
from programs.engine import draft_to_dict, headline_findings, suggest
from programs.library import SAFETY_TAGS, load_library
from programs.rules import CONTINUUM, POPULATIONS, load_ruleset
from tests.programs.fakes import excluded_tags_chosen

ON = date(2026, 11, 20)
CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
RULESET = load_ruleset()
LIBRARY = load_library()


def _measure(key):
    spec = MEASURES[key]
    if spec.integer:
        return st.integers(int(spec.minimum), int(spec.maximum))
    return st.floats(spec.minimum, spec.maximum, allow_nan=False).map(lambda v: round(v, 1))


def _observations(codes, *, views):
    plain = st.sampled_from(sorted(codes))
    detailed = st.fixed_dictionaries(
        {"code": plain},
        optional={
            "side": st.sampled_from(["left", "right", "both"]),
            **({"view": st.sampled_from(sorted(VIEWS))} if views else {}),
        },
    )
    return st.lists(plain | detailed, max_size=4, unique_by=_same_observation)


def _same_observation(item):
    """A bare code and {"code": ...} are the same observation to the parser."""
    if isinstance(item, str):
        return (item, None, None)
    return (item["code"], item.get("side"), item.get("view"))


@st.composite
def _youth(draw):
    height = draw(st.floats(100, 200).map(lambda v: round(v, 1)))
    sitting = round(min(119.0, height * draw(st.floats(0.45, 0.58))), 1)
    section = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "weight_kg": _measure("youth.weight_kg"),
                "growth_pain": st.lists(
                    st.sampled_from(["knee", "heel", "hip", "low_back"]), max_size=2, unique=True
                ),
            },
        )
    )
    return {"height_cm": height, "sitting_height_cm": sitting, **section}


_SENIOR = st.fixed_dictionaries(
    {},
    optional={
        key.removeprefix("senior."): _measure(key) for key in MEASURES if key.startswith("senior.")
    },
)
_POSTPARTUM = st.fixed_dictionaries(
    {},
    optional={
        **{
            k.removeprefix("postpartum."): _measure(k)
            for k in MEASURES
            if k.startswith("postpartum.")
        },
        **{flag: st.booleans() for flag in ("doming", "leakage", "heaviness", "pelvic_pain")},
    },
)
_MEASURES = st.fixed_dictionaries(
    {},
    optional={
        "cva_deg": _measure("cva_deg"),
        "screen_hours_per_day": _measure("screen_hours_per_day"),
        "pelvic_tilt_left_deg": _measure("pelvic_tilt_left_deg"),
        "pelvic_tilt_right_deg": _measure("pelvic_tilt_right_deg"),
        "posture": _observations(POSTURE_DEVIATIONS, views=False),
        "ohs": _observations(OHS_COMPENSATIONS, views=True),
        "gait": st.lists(st.sampled_from(sorted(GAIT)), max_size=3, unique=True),
        "senior": _SENIOR,
        "postpartum": _POSTPARTUM,
        "youth": _youth(),
        "pain": st.lists(
            st.fixed_dictionaries(
                {"region": st.sampled_from(sorted(BODY_REGIONS)), "score": _measure("pain.score")}
            ),
            max_size=2,
        ),
    },
)


@st.composite
def cases(draw):
    sex = draw(st.sampled_from(["female", "male"]))
    age = draw(st.integers(6, 95))
    if draw(st.booleans()):
        client = {"age_years": age, "sex": sex}
    else:
        born = ON - timedelta(days=draw(st.integers(6 * 365, 95 * 365)))
        client = {"birth_date": born.isoformat(), "sex": sex}
        age = (ON - born).days // 366
    if sex == "female" and age >= 18 and draw(st.booleans()):
        delivered = ON - timedelta(days=draw(st.integers(0, 420)))
        client["postpartum"] = {
            "delivery_date": delivered.isoformat(),
            "delivery_type": draw(st.sampled_from(["vaginal", "caesarean"])),
        }
    return {
        "client": client,
        "assessed_on": ON.isoformat(),
        "screening": {
            "parq_yes": draw(st.lists(st.integers(1, 7), max_size=2, unique=True)),
            "clearance_recorded": draw(st.booleans()),
        },
        "measures": draw(_MEASURES),
    }


def _check_contract(out: dict) -> None:
    assert json.loads(json.dumps(out)) == out
    assert out["ruleset_version"] == RULESET.version
    assert out["population"] in POPULATIONS
    for finding in out["findings"]:
        assert {
            "code",
            "severity",
            "measure",
            "value",
            "reference",
            "source",
            "explanation",
        } <= set(finding)
        assert finding["severity"] in {"mild", "moderate", "severe", "present"}
    referral = out["referral"]
    assert referral["required"] == bool(referral["reasons"])
    assert set(referral["reasons"]) <= set(REFERRAL_REASONS)
    assert isinstance(out["publishable"], bool)
    steps = []
    for phase in out["phases"]:
        assert isinstance(phase["title"], str)
        assert phase["sessions_per_week"] >= 1
        first, last = phase["weeks"]
        assert 1 <= first <= last
        steps += phase.get("covers", [phase["key"]])
        for exercise in phase["exercises"]:
            assert LIBRARY.get(exercise["slug"]) is not None
            assert isinstance(exercise["sets"], int)
            assert exercise["reps"] is None or isinstance(exercise["reps"], int)
            assert exercise["hold_s"] is None or isinstance(exercise["hold_s"], int)
            assert exercise["reps"] is not None or exercise["hold_s"] is not None
            assert exercise["tempo"] is None or isinstance(exercise["tempo"], str)
            assert set(exercise["tags"]) <= SAFETY_TAGS
            assert exercise["rules"]
            assert isinstance(exercise["findings"], list)
    assert tuple(steps) == CONTINUUM
    for exclusion in out["excluded"]:
        assert {"slug", "reason", "rule"} <= set(exclusion)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_engine_never_raises_and_keeps_the_contract_shape(data):
    out = draft_to_dict(suggest(parse_case(data), ruleset=RULESET, library=LIBRARY))
    _check_contract(out)


@SETTINGS
@given(cases())
def test_engine_is_deterministic(data):
    first = draft_to_dict(suggest(parse_case(data), ruleset=RULESET, library=LIBRARY))
    again = draft_to_dict(
        suggest(parse_case(json.loads(json.dumps(data))), ruleset=RULESET, library=LIBRARY)
    )
    assert first == again


@SETTINGS
@given(cases())
def test_no_chosen_exercise_carries_an_excluded_tag(data):
    draft = suggest(parse_case(data), ruleset=RULESET, library=LIBRARY)
    assert excluded_tags_chosen(draft, RULESET, LIBRARY) == []


@SETTINGS
@given(cases())
def test_every_phase_has_exercises_or_a_note_and_publishable_follows_referral(data):
    case = parse_case(data)
    draft = suggest(case, ruleset=RULESET, library=LIBRARY)
    # A phase nothing asks for, or nothing safe fits, is empty and says why (no filler).
    assert all(phase.exercises or phase.note for phase in draft.phases)
    assert draft.publishable == (not draft.referral.required or case.facts.clearance_recorded)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@SETTINGS
@given(cases(), st.data())
def test_any_corrupted_case_is_a_case_error_or_a_draft(data, draw):
    paths = [p for p in _paths(data) if p]
    path = draw.draw(st.sampled_from(paths))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = draw.draw(JSON)
    try:
        case = parse_case(data)
    except DataFileError:
        return  # the only exception a bad case may raise; any other fails the test
    _check_contract(draft_to_dict(suggest(case, ruleset=RULESET, library=LIBRARY)))


# --- Coverage: the headline findings, and no filler ----------------------------------------------

RELEASE_STEPS = {"inhibit", "lengthen"}


def _asked(draft, code: str) -> set[str]:
    """Continuum steps the fired rules ask for on behalf of one finding."""
    fired = {f.id for f in draft.fired if f.kind == "rule" and code in f.findings}
    steps = set()
    for rule in RULESET.rules:
        if rule.id in fired:
            steps |= {step for step in CONTINUUM if rule.then.targets(step)}
            steps |= {LIBRARY.get(slug).phase for slug in rule.then.exercises}
    return steps


def _covered_or_said(draft, code: str, steps: set[str]) -> bool:
    phases = [p for p in draft.phases if set(p.covers or (p.key,)) & steps]
    addressed = any(code in e.findings for p in phases for e in p.exercises)
    said = any(code in p.unaddressed and p.note for p in phases)
    return addressed or said


_HEADLINE_CASES = st.fixed_dictionaries(
    {
        "cva_deg": st.floats(30.0, 52.0).map(lambda v: round(v, 1)),
        "posture": _observations(POSTURE_DEVIATIONS, views=False),
        "ohs": _observations(OHS_COMPENSATIONS, views=True),
    },
    optional={
        "pelvic_tilt_left_deg": _measure("pelvic_tilt_left_deg"),
        "pelvic_tilt_right_deg": _measure("pelvic_tilt_right_deg"),
        "gait": st.lists(st.sampled_from(sorted(GAIT)), max_size=2, unique=True),
        "pain": st.lists(
            st.fixed_dictionaries(
                {"region": st.sampled_from(sorted(BODY_REGIONS)), "score": _measure("pain.score")}
            ),
            max_size=1,
        ),
    },
)


@SETTINGS
@given(cases(), _HEADLINE_CASES)
def test_every_headline_finding_gets_activation_and_release_or_the_draft_says_why(data, extra):
    data["measures"] = {**data["measures"], **extra}
    draft = suggest(parse_case(data), ruleset=RULESET, library=LIBRARY)
    for code in headline_findings(draft.findings):
        asked = _asked(draft, code)
        if "activate" in asked:
            assert _covered_or_said(draft, code, {"activate"}), (code, "activate")
        if asked & RELEASE_STEPS:
            assert _covered_or_said(draft, code, RELEASE_STEPS), (code, "release")


@SETTINGS
@given(cases())
def test_every_chosen_exercise_answers_a_fired_rule(data):
    draft = suggest(parse_case(data), ruleset=RULESET, library=LIBRARY)
    general = any(f.kind == "general" for f in draft.fired)
    for phase in draft.phases:
        for chosen in phase.exercises:
            assert chosen.rules
            assert general or not any(r.startswith("G-") for r in chosen.rules)


def _random_cases(count: int, seed: int) -> list[dict]:
    """Cases with random mixes of findings, every population (a fixed seed: repeatable)."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        measures = {
            "ohs": rng.sample(sorted(OHS_COMPENSATIONS), rng.randint(0, 3)),
            "posture": rng.sample(sorted(POSTURE_DEVIATIONS), rng.randint(0, 3)),
            "gait": rng.sample(sorted(GAIT), rng.randint(0, 1)),
        }
        if rng.random() < 0.5:
            measures["cva_deg"] = round(rng.uniform(38.0, 55.0), 1)
        client = {"age_years": 34, "sex": rng.choice(["female", "male"])}
        population = rng.choice(["adult", "senior", "youth", "postpartum"])
        if population == "senior":
            client["age_years"] = rng.randint(60, 90)
            measures["senior"] = {"six_min_walk_m": rng.choice([300.0, 560.0])}
        elif population == "youth":
            client["age_years"] = rng.randint(8, 17)
        elif population == "postpartum":
            client["sex"] = "female"
            born = ON - timedelta(weeks=rng.randint(1, 40))
            client["postpartum"] = {
                "delivery_date": born.isoformat(),
                "delivery_type": rng.choice(["vaginal", "caesarean"]),
            }
        made.append(
            {
                "client": client,
                "assessed_on": ON.isoformat(),
                "screening": {"parq_yes": [], "clearance_recorded": False},
                "measures": measures,
            }
        )
    return made


def test_no_exercise_is_in_half_of_all_drafts_whatever_was_found():
    vignettes = [json.loads(p.read_text())["input"] for p in sorted(CASES_DIR.glob("*.json"))]
    inputs = vignettes + _random_cases(300, seed=13)
    drafts = [suggest(parse_case(data), ruleset=RULESET, library=LIBRARY) for data in inputs]
    seen = Counter(slug for d in drafts for slug in {e.slug for p in d.phases for e in p.exercises})
    assert {slug: n for slug, n in seen.items() if n >= len(drafts) / 2} == {}
