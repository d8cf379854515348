from dataclasses import replace
from datetime import date, timedelta

from assessments.findings import REFERRAL_REASONS
from assessments.inputs import (
    ClientFacts,
    Measures,
    PainReport,
    PostpartumMeasures,
    PostureObservation,
    SeniorTests,
    YouthMeasures,
)
from assessments.interpret import interpret, referral_for

ON = date(2026, 11, 20)
ADULT = ClientFacts(sex="female", birth_date=date(1990, 1, 1), assessed_on=ON)
SENIOR = ClientFacts(sex="male", birth_date=date(1950, 1, 1), assessed_on=ON)
NOTHING_MEASURED = Measures()


def referral(measures=NOTHING_MEASURED, facts=ADULT):
    return referral_for(measures, facts, interpret(measures, facts))


def after_birth(weeks, delivery_type="vaginal", **changes):
    delivered = ON - timedelta(weeks=weeks)
    return replace(ADULT, delivery_date=delivered, delivery_type=delivery_type, **changes)


def test_nothing_found_means_no_referral():
    result = referral()
    assert (result.required, result.reasons, result.details) == (False, (), ())


def test_parq_yes_without_clearance_is_parq_positive():
    result = referral(facts=replace(ADULT, parq_yes=(2, 6)))
    assert result.reasons == ("parq_positive",)
    assert result.details[0].startswith("PAR-Q+ questions 2, 6 answered yes")


def test_parq_yes_with_clearance_recorded_stays_listed_as_cleared():
    result = referral(facts=replace(ADULT, parq_yes=(6,), clearance_recorded=True))
    assert result.reasons == ("parq_positive",)
    assert result.details == ("PAR-Q+ question 6 answered yes: a clearance is on file.",)


def test_cleared_parq_yes_and_cleared_pain_are_listed_alike():
    facts = replace(ADULT, parq_yes=(1,), clearance_recorded=True)
    result = referral(Measures(pain=(PainReport("neck", 3),)), facts)
    assert result.reasons == ("parq_positive", "pain")


def test_pain_during_testing_is_a_pain_referral_in_plain_words():
    result = referral(Measures(pain=(PainReport("low_back", 6),)))
    assert result.reasons == ("pain",)
    assert result.details == (
        "Pain 6/10 in the low back during testing: refer to a physiotherapist or physician "
        "before corrective exercise.",
    )


def test_pain_score_of_0_is_no_referral():
    assert referral(Measures(pain=(PainReport("knee", 0),))).reasons == ()


def test_a_recorded_clearance_does_not_remove_pain_from_this_assessment():
    facts = replace(ADULT, clearance_recorded=True)
    assert referral(Measures(pain=(PainReport("neck", 3),)), facts).reasons == ("pain",)


def test_antalgic_gait_is_a_pain_referral():
    assert referral(Measures(gait=("antalgic",))).reasons == ("pain",)


def test_pelvic_floor_symptoms_are_referred_to_a_pelvic_health_physiotherapist():
    result = referral(Measures(postpartum=PostpartumMeasures(heaviness=True)))
    assert result.reasons == ("pelvic_floor_symptoms",)
    assert "pelvic-health physiotherapist" in result.details[0]


def test_five_weeks_after_a_vaginal_birth_without_clearance_is_not_cleared():
    result = referral(facts=after_birth(5))
    assert result.reasons == ("postpartum_not_cleared",)
    assert "practice default" in result.details[0]


def test_six_weeks_after_a_vaginal_birth_is_past_the_clearance_wait():
    assert referral(facts=after_birth(6)).reasons == ()


def test_seven_weeks_after_a_caesarean_without_clearance_is_not_cleared():
    assert referral(facts=after_birth(7, "caesarean")).reasons == ("postpartum_not_cleared",)


def test_eight_weeks_after_a_caesarean_is_past_the_clearance_wait():
    assert referral(facts=after_birth(8, "caesarean")).reasons == ()


def test_unknown_birth_type_waits_as_long_as_a_caesarean():
    result = referral(facts=after_birth(7, None))
    assert result.reasons == ("postpartum_not_cleared",)
    assert "birth type not recorded" in result.details[0]


def test_recorded_clearance_covers_the_postpartum_wait_which_stays_listed():
    result = referral(facts=after_birth(3, clearance_recorded=True))
    assert result.reasons == ("postpartum_not_cleared",)
    assert result.details[0].endswith("a clearance is on file.")


def test_growth_pain_is_a_growth_related_pain_referral():
    result = referral(Measures(youth=YouthMeasures(growth_pain=("knee",))))
    assert result.reasons == ("growth_related_pain",)
    assert "slipped capital femoral epiphysis" in result.details[0]


def test_slow_tug_with_short_strides_is_a_fall_risk_referral():
    measures = Measures(senior=SeniorTests(tug_s=13.2), gait=("short_stride",))
    result = referral(measures, SENIOR)
    assert result.reasons == ("fall_risk",)
    assert result.details[0].startswith("Timed Up and Go 13.2 s with short stride observed")


def test_slow_tug_alone_advises_but_does_not_require_referral():
    result = referral(Measures(senior=SeniorTests(tug_s=13.2)), SENIOR)
    assert not result.required
    assert "no gait abnormality recorded" in result.details[0]


def test_gait_change_with_a_normal_tug_is_no_fall_risk_referral():
    measures = Measures(senior=SeniorTests(tug_s=9.0), gait=("reduced_arm_swing",))
    assert "fall_risk" not in referral(measures, SENIOR).reasons


def test_slow_tug_with_only_an_alignment_change_is_no_fall_risk_referral():
    measures = Measures(senior=SeniorTests(tug_s=13.0), gait=("toe_out",))
    assert "fall_risk" not in referral(measures, SENIOR).reasons


def test_foot_slap_is_a_gait_red_flag_that_requires_referral():
    result = referral(Measures(gait=("foot_slap",)))
    assert result.reasons == ("gait_red_flag",)
    assert result.details == (
        "Foot slap, toe drag or high-stepping gait observed: refer to a physician.",
    )


def test_conditional_gait_deviation_is_advice_without_a_reason():
    result = referral(Measures(gait=("toe_out",)))
    assert result.reasons == ()
    assert result.details


def test_visible_pelvic_obliquity_is_referred_for_measurement():
    result = referral(Measures(posture=(PostureObservation("pelvic_obliquity", "left"),)))
    assert result.reasons == ("pelvic_obliquity",)
    assert "leg-length" in result.details[0]
    assert "not correct it with exercise alone" in result.details[0]


def test_left_right_inclinometer_difference_is_no_obliquity_referral():
    # A sagittal tilt difference between sides is not the frontal-plane sign of §5.3.
    measures = Measures(pelvic_tilt_left_deg=16.0, pelvic_tilt_right_deg=8.0)
    assert "pelvic_obliquity" not in referral(measures).reasons


def test_gap_of_2_cm_is_a_diastasis_review():
    result = referral(Measures(postpartum=PostpartumMeasures(ird_umbilicus_cm=2.0)))
    assert result.reasons == ("diastasis_review",)
    assert "pelvic-health physiotherapist" in result.details[0]


def test_gap_just_under_2_cm_without_doming_is_no_diastasis_review():
    measures = Measures(postpartum=PostpartumMeasures(ird_umbilicus_cm=1.9, doming=False))
    assert referral(measures).reasons == ()


def test_doming_with_a_narrow_gap_is_a_diastasis_review():
    measures = Measures(postpartum=PostpartumMeasures(ird_umbilicus_cm=1.0, doming=True))
    assert referral(measures).reasons == ("diastasis_review",)


# --- A limp in a growing client (§8.4, §9.3, §11: possible SCFE) --------------------------------


def aged(years: int) -> ClientFacts:
    """A client whose birthday was a month before the assessment, ``years`` ago."""
    return replace(ADULT, birth_date=date(ON.year - years, ON.month - 1, ON.day))


def test_trendelenburg_gait_at_17_is_a_gait_red_flag():
    result = referral(Measures(gait=("trendelenburg",)), aged(17))
    assert result.reasons == ("gait_red_flag",)
    assert "slipped capital femoral epiphysis" in result.details[0]


def test_trendelenburg_gait_at_18_is_advice_only():
    result = referral(Measures(gait=("trendelenburg",)), aged(18))
    assert result.reasons == ()
    assert "adolescent" in result.details[0]


def test_trendelenburg_gait_at_12_is_a_gait_red_flag():
    assert referral(Measures(gait=("trendelenburg",)), aged(12)).reasons == ("gait_red_flag",)


def test_antalgic_gait_in_a_youth_is_pain_and_a_gait_red_flag():
    result = referral(Measures(gait=("antalgic",)), aged(14))
    assert result.reasons == ("pain", "gait_red_flag")


def test_antalgic_gait_in_an_adult_is_pain_only():
    assert referral(Measures(gait=("antalgic",)), aged(30)).reasons == ("pain",)


def test_gait_deviations_without_a_youth_condition_stay_advice_in_a_youth():
    assert referral(Measures(gait=("toe_out", "overpronation")), aged(14)).reasons == ()


def test_reasons_come_in_case_format_order():
    measures = Measures(
        pain=(PainReport("knee", 2),),
        postpartum=PostpartumMeasures(leakage=True),
        youth=YouthMeasures(growth_pain=("heel",)),
        senior=SeniorTests(tug_s=15.0),
        gait=("shuffling",),
    )
    measures = replace(
        measures,
        postpartum=PostpartumMeasures(leakage=True, doming=True),
        posture=(PostureObservation("pelvic_obliquity", "left"),),
    )
    facts = after_birth(2, parq_yes=(1,))
    reasons = referral(measures, facts).reasons
    assert reasons == REFERRAL_REASONS
