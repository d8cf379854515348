import pytest

from assessments.maturity import (
    Equation,
    MaturityStage,
    age_at_phv,
    estimate_maturity,
    maturity_stage,
    mirwald_offset,
    moore_offset,
)

BOY = {"sex": "male", "age_years": 13.0, "height_cm": 160.0, "sitting_height_cm": 82.0}
GIRL = {"sex": "female", "age_years": 12.0, "height_cm": 150.0, "sitting_height_cm": 78.0}


def test_mirwald_boy_offset_matches_hand_arithmetic():
    # Leg = 160 - 82 = 78; LL*SH = 6396; age*LL = 1014; age*SH = 1066; W/H*100 = 31.25
    # -9.236 + 0.0002708*6396 - 0.001663*1014 + 0.007216*1066 + 0.02292*31.25
    # = -9.236 + 1.7320368 - 1.686282 + 7.692256 + 0.71625 = -0.7817392
    assert mirwald_offset(**BOY, weight_kg=50.0) == pytest.approx(-0.7817392, abs=1e-6)


def test_mirwald_girl_offset_matches_hand_arithmetic():
    # Leg = 72; LL*SH = 5616; age*LL = 864; age*SH = 936; age*mass = 480; W/H*100 = 26.6667
    # -9.376 + 0.0001882*5616 + 0.0022*864 + 0.005841*936 - 0.002658*480 + 0.07693*26.6667
    # = -9.376 + 1.0569312 + 1.9008 + 5.467176 - 1.27584 + 2.0514667 = -0.1754661
    assert mirwald_offset(**GIRL, weight_kg=40.0) == pytest.approx(-0.1754661, abs=1e-6)


def test_mirwald_younger_boy_is_before_phv():
    # Leg 66; LL*SH 4752; age*LL 660; age*SH 720; W/H*100 = 32/138*100 = 23.188406
    # -9.236 + 1.2868416 - 1.09758 + 5.19552 + 0.5314783 = -3.3197401
    offset = mirwald_offset(
        sex="male", age_years=10.0, height_cm=138.0, sitting_height_cm=72.0, weight_kg=32.0
    )
    assert offset == pytest.approx(-3.3197401, abs=1e-6)


def test_mirwald_older_boy_is_after_phv():
    # Leg 86; LL*SH 7912; age*LL 1376; age*SH 1472; W/H*100 = 66/178*100 = 37.078652
    # -9.236 + 2.1425696 - 2.288288 + 10.621952 + 0.8498427 = 2.0900763
    offset = mirwald_offset(
        sex="male", age_years=16.0, height_cm=178.0, sitting_height_cm=92.0, weight_kg=66.0
    )
    assert offset == pytest.approx(2.0900763, abs=1e-6)


def test_mirwald_equations_are_sex_specific():
    boy = mirwald_offset(**{**GIRL, "sex": "male"}, weight_kg=40.0)
    girl = mirwald_offset(**GIRL, weight_kg=40.0)
    assert boy != pytest.approx(girl, abs=0.01)


def test_moore_girl_offset_uses_age_times_height():
    # -7.709133 + 0.0042232 * (12 * 150 = 1800) = -7.709133 + 7.60176 = -0.107373
    assert moore_offset(sex="female", age_years=12.0, height_cm=150.0) == pytest.approx(
        -0.107373, abs=1e-6
    )


def test_moore_boy_offset_uses_sitting_height_when_given():
    # -8.128741 + 0.0070346 * (13 * 82 = 1066) = -8.128741 + 7.4988836 = -0.6298574
    assert moore_offset(**BOY) == pytest.approx(-0.6298574, abs=1e-6)


def test_moore_boy_offset_without_sitting_height_uses_standing_height():
    # -7.999994 + 0.0036124 * (13 * 160 = 2080) = -7.999994 + 7.513792 = -0.486202
    assert moore_offset(sex="male", age_years=13.0, height_cm=160.0) == pytest.approx(
        -0.486202, abs=1e-6
    )


def test_offset_below_minus_one_is_pre_phv():
    assert maturity_stage(-1.01) is MaturityStage.PRE_PHV


def test_offset_of_minus_one_is_circa_phv():
    assert maturity_stage(-1.0) is MaturityStage.CIRCA_PHV


def test_offset_of_plus_one_is_circa_phv():
    assert maturity_stage(1.0) is MaturityStage.CIRCA_PHV


def test_offset_above_plus_one_is_post_phv():
    assert maturity_stage(1.01) is MaturityStage.POST_PHV


def test_age_at_phv_is_age_minus_offset():
    assert age_at_phv(13.0, -0.78) == pytest.approx(13.78)


def test_estimate_uses_mirwald_when_sitting_height_and_mass_are_known():
    estimate = estimate_maturity(**BOY, weight_kg=50.0)
    assert (estimate.equation, estimate.offset, estimate.stage) == (
        Equation.MIRWALD_2002,
        -0.78,
        MaturityStage.CIRCA_PHV,
    )
    assert estimate.age_at_phv == pytest.approx(13.78)


def test_estimate_falls_back_to_moore_without_mass():
    estimate = estimate_maturity(**BOY, weight_kg=None)
    assert (estimate.equation, estimate.offset) == (Equation.MOORE_2015, -0.63)


def test_stage_is_read_from_the_rounded_offset():
    # Moore girl: -7.709133 + 0.0042232 * (10.0 * 158.3 = 1583) = -1.0238074 -> -1.02, pre-PHV
    # and at 158.8 cm: -7.709133 + 0.0042232 * 1588 = -1.0026914 -> -1.0, circa-PHV
    low = estimate_maturity(
        sex="female", age_years=10.0, height_cm=158.3, sitting_height_cm=None, weight_kg=None
    )
    edge = estimate_maturity(
        sex="female", age_years=10.0, height_cm=158.8, sitting_height_cm=None, weight_kg=None
    )
    assert (low.offset, low.stage) == (-1.02, MaturityStage.PRE_PHV)
    assert (edge.offset, edge.stage) == (-1.0, MaturityStage.CIRCA_PHV)


def test_unknown_sex_is_rejected():
    with pytest.raises(ValueError, match="sex"):
        moore_offset(sex="boy", age_years=13.0, height_cm=160.0)
