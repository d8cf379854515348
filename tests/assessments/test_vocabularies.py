import pytest

from assessments.findings import OHS_COMPENSATIONS, REGIONS
from assessments.muscles import MUSCLES
from assessments.posture import (
    ALWAYS_REFER,
    CHECKPOINTS,
    GAIT,
    OHS,
    PATTERNS,
    POSTURE_BY_CHECKPOINT,
    POSTURE_DEVIATIONS,
    REFER,
    REFER_IF,
)

ENTRIES = [*POSTURE_DEVIATIONS.values(), *OHS.values(), *GAIT.values()]
CASE_FORMAT_FINDINGS = {
    "forward_head_posture",
    "anterior_pelvic_tilt",
    "posterior_pelvic_tilt",
    "pelvic_asymmetry",
}


def test_overhead_squat_vocabulary_is_exactly_the_case_format_list():
    assert tuple(OHS) == OHS_COMPENSATIONS


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_muscle_named_is_in_the_muscle_vocabulary(entry):
    assert set(entry.overactive + entry.underactive) <= set(MUSCLES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_observation_cites_a_source_and_a_status(entry):
    assert entry.source
    assert entry.status in {"C", "C2", "U"}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.code)
def test_every_observation_belongs_to_a_page_region(entry):
    assert entry.region in REGIONS


def test_no_muscle_is_both_overactive_and_underactive_for_one_observation():
    assert [e.code for e in ENTRIES if set(e.overactive) & set(e.underactive)] == []


def test_every_posture_deviation_sits_at_a_checkpoint():
    listed = [d.code for group in POSTURE_BY_CHECKPOINT.values() for d in group]
    assert sorted(listed) == sorted(POSTURE_DEVIATIONS)
    assert set(POSTURE_BY_CHECKPOINT) == set(CHECKPOINTS)


def test_posture_deviations_map_only_to_case_format_findings():
    mapped = {d.finding for d in POSTURE_DEVIATIONS.values() if d.finding}
    assert mapped == CASE_FORMAT_FINDINGS


def test_overhead_squat_views_are_anterior_lateral_or_posterior():
    assert {c.view for c in OHS.values()} == {"anterior", "lateral", "posterior"}


def test_foot_slap_is_always_referred():
    assert GAIT["foot_slap"].refer == ALWAYS_REFER


def test_gait_referral_levels_are_known():
    assert {g.refer for g in GAIT.values()} <= {ALWAYS_REFER, REFER, REFER_IF, None}


def test_gait_vocabulary_covers_reference_section_11():
    expected = {
        "overpronation",
        "trendelenburg",
        "reduced_arm_swing",
        "short_stride",
        "toe_out",
        "foot_slap",
        "antalgic",
        "wide_base",
        "asymmetry",
        "slow_speed",
    }
    assert expected <= set(GAIT)


def test_pattern_signs_name_known_observations():
    known = (
        {f"posture:{code}" for code in POSTURE_DEVIATIONS}
        | {f"ohs:{code}" for code in OHS}
        | {f"gait:{code}" for code in GAIT}
        | {f"finding:{code}" for code in CASE_FORMAT_FINDINGS}
    )
    signs = {sign for rule in PATTERNS for group in rule.groups for sign in group}
    assert signs <= known


def test_patterns_are_the_three_case_format_patterns():
    assert [p.code for p in PATTERNS] == [
        "upper_crossed_pattern",
        "lower_crossed_pattern",
        "pronation_distortion_pattern",
    ]
