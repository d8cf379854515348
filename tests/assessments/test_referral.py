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


def test_parq_yes_with_clearance_recorded_needs_no_referral():
    assert referral(facts=replace(ADULT, parq_yes=(6,), clearance_recorded=True)).reasons == ()


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


def test_recorded_clearance_lifts_the_postpartum_wait():
    assert referral(facts=after_birth(3, clearance_recorded=True)).reasons == ()


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


def test_visible_pelvic_obliquity_advises_a_leg_length_measurement():
    result = referral(Measures(posture=(PostureObservation("pelvic_obliquity", "left"),)))
    assert result.reasons == ()
    assert "leg-length" in result.details[0]


def test_diastasis_recti_advises_a_pelvic_health_review():
    result = referral(Measures(postpartum=PostpartumMeasures(ird_umbilicus_cm=2.5)))
    assert result.reasons == ()
    assert "pelvic-health physiotherapist" in result.details[0]


def test_reasons_come_in_case_format_order():
    measures = Measures(
        pain=(PainReport("knee", 2),),
        postpartum=PostpartumMeasures(leakage=True),
        youth=YouthMeasures(growth_pain=("heel",)),
        senior=SeniorTests(tug_s=15.0),
        gait=("shuffling",),
    )
    facts = after_birth(2, parq_yes=(1,))
    reasons = referral(measures, facts).reasons
    assert reasons == REFERRAL_REASONS
