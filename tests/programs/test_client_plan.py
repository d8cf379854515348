"""The client's plan in plain words (programs.client_plan), built from every case's draft."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from assessments.findings import FINDING_CODES, REFERRAL_REASONS
from assessments.muscles import MUSCLES
from assessments.plain_words import FINDING_PLAIN, REFERRAL_PLAIN, SPECIALIST_TERMS
from programs.client_plan import (
    PAIN_ADVICE,
    ClearanceFact,
    ClientFacts,
    Readiness,
    client_name,
    client_plan,
)
from programs.illustrations import load_poses
from programs.library import load_library

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "cases").glob("*.json"))
SOURCE_IDS = [
    s["id"]
    for s in tomllib.loads((ROOT / "assessments" / "data" / "sources.toml").read_text())["source"]
]
LIBRARY = load_library()
START = date(2026, 3, 2)

# Words of muscle names a client uses too; any other word of a muscle's name is Latin here.
EVERYDAY = {
    "and",
    "arch",
    "band",
    "breathing",
    "complex",
    "core",
    "cuff",
    "deep",
    "external",
    "flexor",
    "flexors",
    "floor",
    "foot",
    "hamstrings",
    "head",
    "hip",
    "internal",
    "it",
    "long",
    "lower",
    "major",
    "middle",
    "minor",
    "pelvic",
    "rotator",
    "rotators",
    "short",
    "toe",
    "upper",
}
MUSCLE_LATIN = sorted(
    {w for label, _ in MUSCLES.values() for w in re.findall(r"[a-z]+", label.lower())} - EVERYDAY
)
CLINICIAN_PHRASES = ["§", "the client", "distortion", "bilateral", "overactive", "underactive"]
RULE_ID = re.compile(r"\b[RSG]-[A-Z]+(-[A-Z0-9]+)+\b")


def clinician_words(text: str) -> list[str]:
    lower = text.lower()
    found = [w for w in MUSCLE_LATIN if re.search(rf"\b{w}\b", lower)]
    found += [p for p in CLINICIAN_PHRASES if p in lower]
    found += [s for s in SOURCE_IDS if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
    found += [m.group(0) for m in RULE_ID.finditer(text)]
    return found


IDENTIFIERS = {"slug", "illustration", "key", "population"}  # never shown to the client


def texts(value) -> list[str]:
    """Every string a ClientPlan shows, however deep."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [
            t
            for f in dataclasses.fields(value)
            if f.name not in IDENTIFIERS
            for t in texts(getattr(value, f.name))
        ]
    if isinstance(value, list | tuple):
        return [t for item in value for t in texts(item)]
    return []


def facts(population="adult", screenings=((START, ()),), clearances=()) -> ClientFacts:
    return ClientFacts(
        first_name="Ana",
        practice="Realign Studio",
        specialist="Sam Lee",
        population=population,
        screenings=tuple(screenings),
        clearances=tuple(clearances),
    )


def case_plan(path: Path):
    """A case's expected draft as the pure inputs: the library gives each exercise's cues."""
    case = json.loads(path.read_text())
    draft, given = case["expected"], case["input"]
    assessed_on = date.fromisoformat(given["assessed_on"])
    screening = given.get("screening", {})
    phases = [
        {
            **phase,
            "exercises": [
                {**item, "cues": LIBRARY.get(item["slug"]).cues, "name": item.get("name")}
                for item in phase["exercises"]
            ],
        }
        for phase in draft["phases"]
    ]
    data = {
        "number": 1,
        "starts_on": assessed_on,
        "retest_on": date(2026, 12, 31),
        "published_on": assessed_on,
        "assessed_on": assessed_on,
        "findings": draft["findings"],
        "referral": draft["referral"],
        "phases": phases,
    }
    client = facts(
        draft["population"],
        screenings=[(assessed_on, tuple(screening.get("parq_yes", ())))],
        clearances=[ClearanceFact(assessed_on, "Dr Moreau")]
        if screening.get("clearance_recorded")
        else [],
    )
    return client_plan(data, client=client, poses=load_poses(), specialist_terms=SPECIALIST_TERMS)


def simple_data(**changes):
    data = {
        "number": 2,
        "starts_on": START,
        "retest_on": date(2026, 3, 30),
        "published_on": START,
        "assessed_on": START,
        "findings": [{"code": "ohs_knees_in"}],
        "referral": {"required": False, "reasons": []},
        "phases": [
            {
                "key": "lengthen",
                "weeks": [1, 4],
                "sessions_per_week": 3,
                "exercises": [
                    {
                        "slug": "butterfly-adductor-stretch",
                        "name": "Seated butterfly stretch",
                        "sets": 1,
                        "hold_s": 30,
                        "cues": LIBRARY.get("butterfly-adductor-stretch").cues,
                        "findings": ["ohs_knees_in"],
                    }
                ],
            },
            {
                "key": "integrate",
                "weeks": [3, 4],
                "sessions_per_week": 3,
                "exercises": [
                    {
                        "slug": "bodyweight-squat",
                        "name": "Bodyweight squat",
                        "sets": 2,
                        "reps": 12,
                        "cues": LIBRARY.get("bodyweight-squat").cues,
                        "findings": [],
                    }
                ],
            },
        ],
    }
    data.update(changes)
    return data


# --- The plain-words vocabulary -------------------------------------------------------------


def test_every_finding_code_has_a_plain_sentence_and_reason():
    assert set(FINDING_PLAIN) == set(FINDING_CODES)


def test_every_referral_reason_has_plain_words():
    assert set(REFERRAL_PLAIN) == set(REFERRAL_REASONS)


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_no_plain_finding_holds_a_clinician_word(code):
    plain = FINDING_PLAIN[code]
    assert clinician_words(plain.said + " " + plain.reason) == []
    assert plain.said.endswith(".")
    assert plain.said[0].isupper()


def test_no_plain_referral_reason_holds_a_clinician_word():
    assert clinician_words(" ".join(REFERRAL_PLAIN.values())) == []


def test_a_muscle_in_parentheses_leaves_the_exercise_name():
    assert client_name("Banded ankle turn-in (posterior tibialis)", SPECIALIST_TERMS) == (
        "Banded ankle turn-in"
    )
    assert client_name("Foam roll: outer hip and thigh (TFL / IT band)", SPECIALIST_TERMS) == (
        "Foam roll: outer hip and thigh"
    )


def test_a_plain_parenthesis_stays_in_the_exercise_name():
    assert client_name("Short foot (arch lift), seated", SPECIALIST_TERMS) == (
        "Short foot (arch lift), seated"
    )


# --- Every case's plan ----------------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_clinician_word_in_any_case_plan(path):
    plan = case_plan(path)
    found = {t: clinician_words(t) for t in texts(plan) if clinician_words(t)}
    assert found == {}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_case_plan_has_one_checklist_week_per_plan_week(path):
    plan = case_plan(path)
    numbers = [week.number for week in plan.checklist]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_case_plan_gives_each_exercise_a_why_and_a_text_alternative(path):
    for card in case_plan(path).exercises:
        assert card.why.endswith(".")
        assert card.alt
        assert 1 <= len(card.cues) <= 3


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_stages_of_a_case_plan_never_share_a_week(path):
    stages = case_plan(path).stages
    for earlier, later in zip(stages, stages[1:], strict=False):
        assert earlier.weeks[1] < later.weeks[0]


# --- What we found and why ------------------------------------------------------------------


def test_what_we_found_says_the_finding_to_the_client():
    plan = client_plan(simple_data(), client=facts())
    assert plan.found == ("Your knees move inward when you squat.",)


def test_an_exercise_says_which_finding_it_is_for():
    card = client_plan(simple_data(), client=facts()).exercises[0]
    assert card.why == "For the way your knees move inward when you squat."


def test_an_exercise_no_finding_asked_for_says_what_its_step_does():
    card = client_plan(simple_data(), client=facts()).exercises[1]
    assert card.why == "To practise everyday movements the way you have learned."


def test_an_exercise_without_a_pose_keeps_its_cues_as_the_text_alternative():
    card = client_plan(simple_data(), client=facts(), poses={}).exercises[0]
    assert card.illustration is None
    assert card.alt == " ".join(LIBRARY.get("butterfly-adductor-stretch").cues[:2])


def test_an_exercise_with_a_pose_has_its_illustration_and_the_poses_alt():
    class Pose:
        alt = "Sitting on the floor, soles of the feet together."

    card = client_plan(
        simple_data(), client=facts(), poses={"butterfly-adductor-stretch": Pose()}
    ).exercises[0]
    assert (card.illustration, card.alt) == ("butterfly-adductor-stretch", Pose.alt)


# --- One session, its stages, one checklist -------------------------------------------------


def test_overlapping_phases_make_one_session_in_continuum_order():
    plan = client_plan(simple_data(), client=facts())
    assert len(plan.stages) == 1
    assert [s.title for s in plan.stages[0].steps] == ["Stretch", "Put it together"]


def test_a_step_joining_later_is_left_out_of_the_early_sessions():
    plan = client_plan(simple_data(), client=facts())
    _, week_1 = plan.session_on(START)
    _, week_3 = plan.session_on(date(2026, 3, 17))
    assert [s.title for s in week_1] == ["Stretch"]
    assert [s.title for s in week_3] == ["Stretch", "Put it together"]
    assert any("From week 3" in line for line in plan.next_steps)


def test_consecutive_phases_make_stages_with_their_own_weeks():
    data = simple_data()
    data["phases"][0]["weeks"] = [1, 4]
    data["phases"][1]["weeks"] = [5, 8]
    plan = client_plan(data, client=facts())
    assert [s.weeks for s in plan.stages] == [(1, 4), (5, 8)]
    assert [w.stage for w in plan.checklist] == [1, 1, 1, 1, 2, 2, 2, 2]


def test_the_checklist_has_each_week_once_with_its_sessions():
    plan = client_plan(simple_data(), client=facts())
    assert [(w.number, w.sessions) for w in plan.checklist] == [(1, 3), (2, 3), (3, 3), (4, 3)]
    assert plan.checklist[1].starts_on == date(2026, 3, 9)


def test_the_plan_says_when_to_come_back_for_the_re_test():
    plan = client_plan(simple_data(), client=facts())
    assert any("re-test on 30 March 2026" in line for line in plan.next_steps)


def test_postpartum_safety_names_leakage_heaviness_and_bleeding():
    safety = " ".join(client_plan(simple_data(), client=facts("postpartum")).safety)
    assert all(word in safety for word in ("leakage", "heaviness", "bleeding", "dizzy"))


# --- Before you start: one state, never two -------------------------------------------------


def test_never_screened_asks_for_the_questionnaire_first():
    before = client_plan(simple_data(), client=facts(screenings=())).before
    assert before.state == Readiness.SCREENING_NEEDED
    assert "cleared" not in " ".join(before.lines)


def test_a_screening_with_no_yes_is_ready_to_start():
    before = client_plan(simple_data(), client=facts()).before
    assert before.state == Readiness.CLEAR
    assert before.topics == ()


def test_an_uncleared_yes_lists_what_to_discuss_and_says_nothing_of_clearance():
    before = client_plan(simple_data(), client=facts(screenings=[(START, (2,))])).before
    assert before.state == Readiness.SEE_PHYSICIAN
    assert before.topics == ("the health questions you answered yes to",)
    assert "cleared" not in " ".join(before.lines)
    assert "ready" not in before.heading


def test_a_cleared_yes_says_by_whom_and_when():
    client = facts(
        screenings=[(START, (2,))], clearances=[ClearanceFact(date(2026, 3, 5), "Dr Moreau")]
    )
    before = client_plan(simple_data(), client=client).before
    assert before.state == Readiness.CLEARED
    assert (before.cleared_by, before.cleared_on) == ("Dr Moreau", date(2026, 3, 5))
    assert "Dr Moreau cleared you for exercise on 5 March 2026" in before.lines[0]


def test_a_referral_cleared_before_the_assessment_still_needs_a_physician():
    data = simple_data(referral={"required": True, "reasons": ["pain"]})
    client = facts(clearances=[ClearanceFact(date(2026, 2, 1), "Dr Moreau")])
    before = client_plan(data, client=client).before
    assert before.state == Readiness.SEE_PHYSICIAN
    assert before.topics == ("the pain you felt during the tests",)


def test_a_later_yes_on_the_questionnaire_reopens_a_cleared_referral():
    data = simple_data(referral={"required": True, "reasons": ["pain"]})
    client = facts(
        screenings=[(START, ()), (date(2026, 3, 10), (3,))],
        clearances=[ClearanceFact(START, "Dr Moreau")],
    )
    before = client_plan(data, client=client).before
    assert before.state == Readiness.SEE_PHYSICIAN
    assert before.topics == ("the health questions you answered yes to",)


# --- Pain after a session -------------------------------------------------------------------


def test_the_pain_advice_names_stopping_the_specialist_and_urgent_signs():
    advice = " ".join(PAIN_ADVICE)
    assert "Stop the exercise that hurt" in advice
    assert all(
        sign in advice for sign in ("chest pain", "fainting", "sudden severe pain", "numbness")
    )


def test_a_plan_with_a_tempo_says_how_to_read_it():
    data = simple_data()
    data["phases"][1]["exercises"][0]["tempo"] = "4/2/2"
    help_lines = " ".join(client_plan(data, client=facts()).dose_help)
    assert "4 seconds to lower" in help_lines


def test_a_plan_of_holds_only_needs_no_tempo_help():
    data = simple_data()
    data["phases"] = data["phases"][:1]
    assert not any("Tempo" in line for line in client_plan(data, client=facts()).dose_help)


@pytest.mark.parametrize("exercise", list(LIBRARY), ids=lambda e: e.slug)
def test_every_library_exercise_reads_plainly_to_the_client(exercise):
    shown = [client_name(exercise.name, SPECIALIST_TERMS), *exercise.cues[:3]]
    assert [w for text in shown for w in clinician_words(text)] == []
