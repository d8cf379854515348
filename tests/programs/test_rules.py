"""The rule tables, safety rules and profiles: shipped data and the validating parser."""

import re
import shutil

import pytest

from assessments.findings import OHS_COMPENSATIONS, SENIOR_NORM_TESTS, Finding, Severity
from assessments.posture import GAIT, OHS
from assessments.sources import bibliography
from core.data_files import DataFileError
from programs.rules import (
    CONTINUUM,
    DATA_DIR,
    STATIC_FINDING_CODES,
    Condition,
    RuleFacts,
    load_ruleset,
    parse_ruleset,
)
from tests.programs import fakes

SHIPPED = load_ruleset()


def _finding(code, severity=Severity.PRESENT, region="whole_body"):
    return Finding(code=code, severity=severity, region=region, explanation="")


def _facts(*findings, **fields):
    return RuleFacts(
        population=fields.pop("population", "adult"), age=34, findings=findings, **fields
    )


# --- The shipped data ----------------------------------------------------------------------


def test_shipped_ruleset_version_is_label_plus_content_hash():
    assert re.fullmatch(r"2026\.1\+[0-9a-f]{8}", SHIPPED.version)


def test_shipped_ruleset_is_loaded_once():
    assert load_ruleset() is load_ruleset()


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("exercises"))
    return target


def test_changed_rule_value_gives_a_new_version(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "rules" / "posture.toml"
    path.write_text(path.read_text().replace("priority = 60", "priority = 61", 1))
    changed = load_ruleset(data)
    assert changed.version != SHIPPED.version
    assert changed.version.startswith("2026.1+")


def test_comment_only_change_keeps_the_version(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "safety.toml"
    path.write_text("# a reviewer's note\n" + path.read_text())
    assert load_ruleset(data).version == SHIPPED.version


def test_rows_cite_sources_from_the_one_bibliography():
    cited = {s for r in SHIPPED.rules for s in r.sources}
    cited |= {s for r in SHIPPED.safety for s in r.sources}
    for profile in SHIPPED.profiles.values():
        cited |= set(profile.retest_sources) | set(profile.general.sources)
        cited |= {s for phase in profile.phases for s in phase.sources}
    assert cited <= set(bibliography())
    assert dict(SHIPPED.sources) == bibliography()


def test_every_contract_finding_family_has_a_rule():
    named = {code for r in SHIPPED.rules for code in r.when.any_of + r.when.all_of}
    expected = set(STATIC_FINDING_CODES)
    expected |= {f"ohs_{c}" for c in OHS_COMPENSATIONS}
    expected |= {f"senior_below_norm_{t}" for t in SENIOR_NORM_TESTS}
    expected |= {f"gait_{g}" for g in GAIT}
    assert expected - named == set()


def test_overhead_squat_rules_follow_the_compensation_muscle_lists():
    for code, compensation in OHS.items():
        [rule] = [r for r in SHIPPED.rules if r.when.any_of == (f"ohs_{code}",)]
        released = set(rule.then.inhibit) | set(rule.then.lengthen)
        assert released <= set(compensation.overactive), rule.id
        assert set(rule.then.activate) <= set(compensation.underactive), rule.id


def test_fall_risk_referral_uses_the_steadi_gait_signs():
    [rule] = [s for s in SHIPPED.safety if s.id == "S-FALL-02"]
    signs = {f"gait_{code}" for code, gait in GAIT.items() if gait.fall_risk_sign}
    assert set(rule.when.any_of) == signs
    assert rule.when.all_of == ("fall_risk",)
    assert rule.referral == "fall_risk"


def test_rows_on_an_unretrieved_source_are_practice_defaults():
    for row in (*SHIPPED.rules, *SHIPPED.safety):
        if any(not SHIPPED.sources[s].retrieved for s in row.sources):
            assert row.practice_default, row.id


def test_impact_waits_until_12_weeks_postpartum():
    [rule] = [s for s in SHIPPED.safety if s.id == "S-PP-01"]
    assert rule.when.weeks_postpartum_before == 12
    assert rule.exclude_tags == ("impact",)
    assert not rule.practice_default  # BJSM-RTR-table, confirmed


def test_caesarean_prone_lying_window_is_a_pinned_practice_default():
    [rule] = [s for s in SHIPPED.safety if s.id == "S-PP-05"]
    assert rule.when.delivery_types == ("caesarean",)
    assert rule.when.weeks_postpartum_before == 8
    assert rule.exclude_tags == ("prone_lying",)
    assert rule.practice_default


@pytest.mark.parametrize("population", ["youth", "adult", "senior", "postpartum"])
def test_profile_phases_cover_the_continuum_within_the_retest_interval(population):
    profile = SHIPPED.profiles[population]
    assert tuple(s for p in profile.phases for s in p.steps) == CONTINUUM
    assert 4 <= profile.retest_weeks <= 6  # OEP-CEx: reassess every 4-6 weeks
    for phase in profile.phases:
        assert 1 <= phase.weeks[0] <= phase.weeks[1] <= profile.retest_weeks
        assert phase.progression


def test_postpartum_restore_phase_covers_inhibit_and_lengthen():
    restore = SHIPPED.profiles["postpartum"].phases[0]
    assert (restore.key, restore.covers) == ("restore", ("inhibit", "lengthen"))


def test_acute_variables_pinned_per_population():
    def dose(population, key):
        phase = next(p for p in SHIPPED.profiles[population].phases if p.key == key)
        return phase.sets, phase.reps, phase.hold_s, phase.tempo

    assert dose("adult", "inhibit") == (1, None, 30, None)  # OEP-flex
    assert dose("adult", "activate") == (2, 12, None, "4/2/2")  # PFC-tempo; sets/reps U
    assert dose("senior", "lengthen") == (2, None, 30, None)  # ACSM older adults ~60 s
    assert dose("youth", "integrate") == (2, 10, None, None)  # SNF-RT 1-2 x 8-12
    assert SHIPPED.profiles["youth"].phases[0].sessions_per_week == 2  # NSCA 2-3 days


# --- Conditions ----------------------------------------------------------------------------


def test_any_condition_returns_the_codes_that_matched():
    condition = Condition(any_of=("ohs_knees_in", "ohs_knees_out"))
    assert condition.match(_facts(_finding("ohs_knees_in"))) == ("ohs_knees_in",)
    assert condition.match(_facts(_finding("pain"))) is None


def test_all_condition_needs_every_code():
    condition = Condition(all_of=("fall_risk",), any_of=("gait_shuffling",))
    assert condition.match(_facts(_finding("fall_risk"))) is None
    both = _facts(_finding("fall_risk"), _finding("gait_shuffling"))
    assert condition.match(both) == ("fall_risk", "gait_shuffling")


def test_min_severity_filters_banded_findings_only():
    condition = Condition(any_of=("forward_head_posture",), min_severity=Severity.MODERATE)
    assert condition.match(_facts(_finding("forward_head_posture", Severity.MILD))) is None
    assert condition.match(_facts(_finding("forward_head_posture", Severity.SEVERE)))
    assert condition.match(_facts(_finding("forward_head_posture", Severity.PRESENT)))


def test_weeks_before_is_exclusive_and_from_inclusive():
    before = Condition(weeks_postpartum_before=12)
    assert before.match(_facts(weeks_postpartum=11.9)) == ()
    assert before.match(_facts(weeks_postpartum=12.0)) is None
    assert before.match(_facts()) is None  # no delivery: a postpartum bound never holds
    assert Condition(weeks_postpartum_from=12).match(_facts(weeks_postpartum=12.0)) == ()


def test_fact_conditions_population_age_delivery_pain_parq_clearance():
    assert Condition(populations=("senior",)).match(_facts()) is None
    assert Condition(age_from=35).match(_facts()) is None
    assert Condition(age_before=35).match(_facts()) == ()
    assert Condition(delivery_types=("caesarean",)).match(_facts(delivery_type="vaginal")) is None
    neck = Condition(pain_regions=("head_neck",))
    assert neck.match(_facts(pain_regions=frozenset({"knees"}))) is None
    assert neck.match(_facts(pain_regions=frozenset({"head_neck"}))) == ()
    assert Condition(parq_positive=True).match(_facts(parq_positive=False)) is None
    assert Condition(clearance_recorded=False).match(_facts(clearance_recorded=True)) is None


# --- Validation: one test per kind of error --------------------------------------------------


def _rule(**changes):
    base = fakes.rule("R-T-01", {"any": ["pain"]}, {"activate": ["gluteus_medius"]})
    for key, value in changes.items():
        if key in ("when", "then"):
            base[key] |= value
        else:
            base[key] = value
    return base


def _error(rules=(), safety=(), **kwargs) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        fakes.ruleset(list(rules), list(safety), **kwargs)
    return caught.value


def test_unknown_finding_code_is_refused():
    error = _error([_rule(when={"any": ["forward_head"]})])
    assert (error.file, error.field) == ("rules/test.toml", "rule[0].when.any[0]")
    assert "unknown finding code 'forward_head'" in error.message


def test_unknown_muscle_is_refused():
    error = _error([_rule(then={"inhibit": ["glutes"]})])
    assert error.field == "rule[0].then.inhibit[0]"
    assert "muscle" in error.message


def test_unknown_pattern_is_refused():
    assert _error([_rule(then={"integrate": ["jump"]})]).field == "rule[0].then.integrate[0]"


def test_unknown_safety_tag_is_refused():
    error = _error(safety=[fakes.safety_rule("S-T-01", {"any": ["pain"]}, ["jumping"])])
    assert (error.file, error.field) == ("safety.toml", "safety[0].exclude_tags[0]")


def test_unknown_population_is_refused():
    error = _error([_rule(when={"populations": ["teen"]})])
    assert error.field == "rule[0].when.populations[0]"


def test_unknown_referral_reason_is_refused():
    row = fakes.safety_rule("S-T-01", {"any": ["pain"]}, ["impact"], referral="physio")
    assert _error(safety=[row]).field == "safety[0].referral"


def test_missing_source_is_refused():
    row = _rule()
    del row["source"]
    error = _error([row])
    assert (error.field, error.message) == ("rule[0].source", "is required")


def test_source_outside_the_registry_is_refused():
    assert _error([_rule(source=["Wikipedia"])]).field == "rule[0].source[0]"


def test_unretrieved_source_requires_practice_default():
    error = _error([_rule(source="NASM-CES", practice_default=False)])
    assert error.field == "rule[0].practice_default"


def test_unknown_key_is_refused():
    error = _error([_rule(then={"inhibt": ["soleus"]})])
    assert (error.field, error.message) == ("rule[0].then.inhibt", "unknown key")


def test_duplicate_id_is_refused():
    error = _error([_rule(), _rule()])
    assert error.field == "rule[1].id"
    assert "already used" in error.message


def test_malformed_id_is_refused():
    assert _error([_rule(id="FHP-1")]).field == "rule[0].id"


def test_rule_without_condition_is_refused():
    assert _error([_rule(when={"any": []})]).field == "rule[0].when.any"


def test_rule_that_neither_targets_nor_advises_is_refused():
    row = fakes.rule("R-T-01", {"any": ["pain"]}, {})
    assert _error([row]).field == "rule[0].then.advice"


def test_boolean_priority_is_refused():
    error = _error([_rule(then={"priority": True})])
    assert error.field == "rule[0].then.priority"
    assert "true/false" in error.message


def test_unknown_severity_is_refused():
    assert _error([_rule(when={"min_severity": "extreme"})]).field == "rule[0].when.min_severity"


def test_safety_rule_needing_neither_exclusion_nor_referral_is_refused():
    row = fakes.safety_rule("S-T-01", {"any": ["pain"]}, [])
    assert _error(safety=[row]).field == "safety[0].exclude_tags"


def test_missing_population_profile_is_refused():
    docs = fakes.ruleset_docs()
    del docs["profiles.toml"]["profile"]["senior"]
    with pytest.raises(DataFileError) as caught:
        parse_ruleset(docs)
    assert caught.value.field == "profile.senior"


def test_phases_out_of_continuum_order_are_refused():
    docs = fakes.ruleset_docs()
    phases = docs["profiles.toml"]["profile"]["adult"]["phase"]
    phases[0], phases[1] = phases[1], phases[0]
    with pytest.raises(DataFileError) as caught:
        parse_ruleset(docs)
    assert caught.value.field == "profile.adult.phase"


def test_phase_running_past_the_retest_is_refused():
    error = _error(phase_fields={"integrate": {"weeks": [3, 5]}})
    assert error.field == "profile.adult.phase[3].weeks"


def test_general_program_must_target_every_step():
    error = _error(general={"inhibit": ["soleus"], "lengthen": ["soleus"], "activate": ["vmo"]})
    assert error.field == "profile.adult.general.integrate"


def test_missing_ruleset_label_is_refused():
    docs = fakes.ruleset_docs()
    del docs["rules/ruleset.toml"]["ruleset"]
    with pytest.raises(DataFileError) as caught:
        parse_ruleset(docs)
    assert caught.value.field == "ruleset.label"


def test_broken_toml_names_the_file(tmp_path):
    data = _copy_data(tmp_path)
    (data / "rules" / "broken.toml").write_text("[[rule]\n")
    with pytest.raises(DataFileError) as caught:
        load_ruleset(data)
    assert caught.value.file == "rules/broken.toml"
