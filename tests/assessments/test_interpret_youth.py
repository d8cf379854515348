from datetime import date

from assessments.inputs import ClientFacts, Measures, YouthMeasures
from assessments.interpret import interpret

ON = date(2026, 3, 1)


def facts(sex, years_old):
    # Born exactly `years_old` years before ON: decimal age = days / 365.25.
    return ClientFacts(sex=sex, birth_date=date(ON.year - years_old, 3, 1), assessed_on=ON)


def maturity(sex, years_old, **youth):
    return [
        f
        for f in interpret(Measures(youth=YouthMeasures(**youth)), facts(sex, years_old))
        if f.code.startswith("youth_")
    ]


def test_boy_of_13_near_his_growth_spurt_is_circa_phv():
    # Decimal age 4748 days / 365.25 = 12.9993; Mirwald offset -0.78 (see test_maturity).
    (finding,) = maturity("male", 13, height_cm=160.0, sitting_height_cm=82.0, weight_kg=50.0)
    assert (finding.code, finding.value) == ("youth_circa_phv", -0.78)


def test_boy_of_10_is_pre_phv():
    (finding,) = maturity("male", 10, height_cm=138.0, sitting_height_cm=72.0, weight_kg=32.0)
    assert (finding.code, finding.value) == ("youth_pre_phv", -3.32)


def test_boy_of_16_is_post_phv():
    (finding,) = maturity("male", 16, height_cm=178.0, sitting_height_cm=92.0, weight_kg=66.0)
    assert (finding.code, finding.value) == ("youth_post_phv", 2.09)


def test_the_equations_are_sex_specific():
    body = {"height_cm": 150.0, "sitting_height_cm": 78.0, "weight_kg": 40.0}
    (boy,) = maturity("male", 12, **body)
    (girl,) = maturity("female", 12, **body)
    assert boy.value != girl.value


def test_maturity_finding_names_the_equation_and_its_accuracy():
    (finding,) = maturity("female", 12, height_cm=150.0, sitting_height_cm=78.0, weight_kg=40.0)
    assert "Mirwald 2002" in finding.explanation
    assert "girls aged 9-13" in finding.explanation
    assert finding.measure == "youth.maturity_offset"


def test_without_sitting_height_moore_is_used():
    (finding,) = maturity("female", 12, height_cm=150.0)
    assert "Moore 2015" in finding.explanation
    assert finding.value == -0.11


def test_without_height_no_maturity_is_estimated():
    assert maturity("male", 13, sitting_height_cm=82.0, weight_kg=50.0) == []


def test_adults_get_no_maturity_estimate():
    assert maturity("male", 18, height_cm=180.0, sitting_height_cm=93.0, weight_kg=75.0) == []


def test_knee_growth_pain_is_growth_related_pain_at_the_knees():
    measures = Measures(youth=YouthMeasures(growth_pain=("knee",)))
    (finding,) = interpret(measures, facts("male", 13))
    assert (finding.code, finding.region, finding.value) == ("growth_related_pain", "knees", "knee")
    assert "Osgood-Schlatter" in finding.explanation


def test_heel_growth_pain_points_to_severs():
    measures = Measures(youth=YouthMeasures(growth_pain=("heel",)))
    (finding,) = interpret(measures, facts("female", 10))
    assert finding.region == "feet_ankles"
    assert "Sever" in finding.explanation
