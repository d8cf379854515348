"""Interpretation: measures in, findings and a referral decision out (pure, deterministic).

Every threshold below cites its source id in ``shared/domain/reference.md`` (§ numbers);
where the reference gives no validated cut-off the value is a practice default, marked on
the finding (``practice_default=True``) and in its reference text. Findings are screening
cues for a fitness professional, never diagnoses. Inputs are trusted to be in range
(``measures.range_error`` guards the doors); ``None`` means "not measured".
"""

from __future__ import annotations

from collections.abc import Iterable

from assessments.delivery import delivery_type_applied
from assessments.findings import (
    BODY_REGIONS,
    OHS_COMPENSATIONS,
    Band,
    Finding,
    Referral,
    Severity,
)
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
from assessments.maturity import BEST_ACCURACY_AGES, STAGE_SOURCE, Equation, estimate_maturity
from assessments.muscles import muscle_label
from assessments.norms import (
    FallRiskResult,
    NormResult,
    fall_risk_results,
    senior_results,
)
from assessments.posture import (
    ALWAYS_REFER,
    GAIT,
    OHS,
    PATTERNS,
    POSTURE_DEVIATIONS,
    REFER,
    REFER_IF,
    VIEWS,
    PatternRule,
    PostureDeviation,
)
from clients.population import YOUTH_UNDER_YEARS, age_on, decimal_age, weeks_since

__all__ = ["interpret", "referral_for", "senior_results"]

SCREENING = "This is a screening cue, not a diagnosis."

# --- Forward head (§4.2) ---------------------------------------------------------------------
# Derived bands, not a published scale: 50° is the usual FHP cut-off (⚠ 48-50°) and sits at
# the pain-free mean of Lau-2009 (50.58 ± 2.09°); 45.5° is Mostafaee's best split between
# slight and moderate-to-severe forward head posture.
CVA_TYPICAL_FROM_DEG = 50.0  # [Lau-2009], practice default (derived band)
CVA_MODERATE_BELOW_DEG = 45.5  # [Mostafaee]
CVA_SOURCE = "Mostafaee, Lau-2009"
CVA_REFERENCE = (
    "≥ 50° typical (Lau 2009: 50.6 ± 2.1°); 45.5-49.9° mild, < 45.5° moderate-to-severe "
    "(Mostafaee cut-off); derived bands, practice default"
)

# --- Pelvic tilt (§5.2): no validated cut-off exists, so all three are practice defaults.
# Upper end of the commonly quoted 7-15° healthy anterior tilt (status U).
PELVIC_TILT_ANTERIOR_ABOVE_DEG = 15.0
# Below 0° the ASIS sits lower than the PSIS, i.e. the pelvis is tilted backwards.
PELVIC_TILT_POSTERIOR_BELOW_DEG = 0.0
# Left-right difference. Herrington-2011 found side-to-side differences smaller than the
# smallest detectable difference; Preece-2008 found landmark asymmetry up to 11° from bone
# shape alone. 5° sits between the two; for scale, a radiographic study used a 5° sacral
# angle to define obliquity (PMC6151938).
PELVIC_ASYMMETRY_ABOVE_DEG = 5.0
PELVIS_SOURCE = "Herrington-2011, Preece-2008"
PELVIS_CAVEAT = (
    "Most healthy adults stand in some anterior tilt (85 % of men, 75 % of women, "
    "Herrington 2011) and bone shape alone spans 0-23° (Preece 2008), so read this against "
    "the client's own baseline and movement findings, not as a diagnosis."
)

# --- Diastasis recti (§7.1) ---------------------------------------------------------------
DRA_FROM_CM = 2.0  # [Sperstad-2016] ≈ 2 finger-breadths at any of the three sites
# No agreed severity scale (§7.1 ⚠). Practice default: 2-2.9 cm mild; 3 cm and over
# moderate (CNYS ">3 cm severe" and J2M "≥ 3 significant" are low-quality, so 3 cm only
# raises the band one step); over 5 cm severe (PolRadiol, ultrasound literature).
DRA_MODERATE_FROM_CM = 3.0
DRA_SEVERE_ABOVE_CM = 5.0
DRA_SOURCE = "Sperstad-2016, PolRadiol"
DRA_REFERENCE = (
    "≥ 2 cm at any site (Sperstad 2016); bands 2-2.9 cm mild, 3-5 cm moderate, > 5 cm severe "
    "are a practice default (no agreed scale)"
)
IRD_SITES = (
    ("ird_above_umbilicus_cm", "above the navel"),
    ("ird_umbilicus_cm", "at the navel"),
    ("ird_below_umbilicus_cm", "below the navel"),
)
PELVIC_FLOOR_SYMPTOMS = (
    ("leakage", "urinary or faecal leakage"),
    ("heaviness", "pelvic heaviness or dragging"),
    ("pelvic_pain", "pelvic, perineal or scar pain"),
)
PELVIC_FLOOR_SOURCE = "Valetudo, AdoreYourPF, Embody-RTR"

# --- Postpartum clearance (§7.4) --------------------------------------------------------------
# Practice default: structured exercise after the ~6-week postnatal check for a vaginal
# birth, and after 8 weeks for a caesarean (sources range 6-10 weeks, ⚠).
CLEARANCE_WEEKS = {"vaginal": 6, "caesarean": 8}
CLEARANCE_SOURCES = {
    "vaginal": "Liberty, SNEE-NHS",
    "caesarean": "Tommys-CS, NorfolkNHS, SNEE-NHS",
}

PAIN_SOURCE = "OEP-CEx, Kiesel-2007"

_SENIOR_REGIONS = {
    "chair_stand_30s": "lumbo_pelvic_hip",
    "arm_curl_30s": "shoulders",
    "two_min_step": "whole_body",
    "chair_sit_reach_cm": "lumbo_pelvic_hip",
    "back_scratch_cm": "shoulders",
    "up_and_go_8ft_s": "whole_body",
    "six_min_walk_m": "whole_body",
}
_SENIOR_LABELS = {
    "chair_stand_30s": "30-second chair stand",
    "arm_curl_30s": "30-second arm curl",
    "two_min_step": "2-minute step",
    "chair_sit_reach_cm": "Chair sit-and-reach",
    "back_scratch_cm": "Back scratch",
    "up_and_go_8ft_s": "8-foot up-and-go",
    "six_min_walk_m": "6-minute walk",
    "tug_s": "Timed Up and Go",
    "tandem_stance_s": "Tandem stance",
}
_PEOPLE = {"female": "women", "male": "men"}
_YOUNG = {"female": "girls", "male": "boys"}
_SIDE_ORDER = {None: 0, "left": 1, "right": 2, "both": 3}


def body_region(part: str) -> str:
    """The body map region (findings.REGIONS) of a body region id such as "low_back"."""
    return BODY_REGIONS[part][1]


def _part_text(part: str) -> str:
    return part.replace("_", " ")


def _num(value: float) -> str:
    return f"{value:g}"


def _muscles(ids: Iterable[str]) -> str:
    return ", ".join(muscle_label(muscle) for muscle in ids)


def _muscle_sentence(overactive: tuple[str, ...], underactive: tuple[str, ...]) -> str:
    parts = []
    if overactive:
        parts.append(f"Probably overactive: {_muscles(overactive)}.")
    if underactive:
        parts.append(f"Probably underactive: {_muscles(underactive)}.")
    return " ".join(parts)


def _join(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


# --- Head and neck -------------------------------------------------------------------------


def _forward_head(measures: Measures) -> list[Finding]:
    cva = measures.cva_deg
    if cva is None or cva >= CVA_TYPICAL_FROM_DEG:
        return []
    if cva < CVA_MODERATE_BELOW_DEG:
        severity = Severity.MODERATE
        reading = (
            f"CVA {_num(cva)}° is below 45.5°, the cut-off that best separates slight from "
            "moderate-to-severe forward head posture (Mostafaee): a probable moderate-to-severe "
            "forward head posture."
        )
    else:
        severity = Severity.MILD
        reading = (
            f"CVA {_num(cva)}° is below the 50° typical of pain-free adults (Lau 2009): a "
            "probable mild forward head posture."
        )
    screen = ""
    if measures.screen_hours_per_day is not None:
        screen = f"The client reports {_num(measures.screen_hours_per_day)} h of screen time a day."
    deviation = POSTURE_DEVIATIONS["forward_head"]
    return [
        Finding(
            code="forward_head_posture",
            severity=severity,
            region="head_neck",
            explanation=_join(
                reading,
                screen,
                _muscle_sentence(deviation.overactive, deviation.underactive),
                "The bands are derived from published figures (practice default). "
                "Consider photographing both sides and retesting against this baseline.",
                SCREENING,
            ),
            measure="cva_deg",
            value=cva,
            reference=CVA_REFERENCE,
            source=CVA_SOURCE,
            practice_default=True,
            overactive=deviation.overactive,
            underactive=deviation.underactive,
        )
    ]


# --- Pelvis -------------------------------------------------------------------------------


def _pelvis_finding(
    code: str,
    *sentences: str,
    measure: str,
    value: float,
    reference: str,
    source: str = PELVIS_SOURCE,
    side: str | None = None,
    deviation: PostureDeviation | None = None,
) -> Finding:
    """A pelvis finding: present, at the lumbo-pelvic-hip complex, on a practice default."""
    return Finding(
        code=code,
        severity=Severity.PRESENT,
        region="lumbo_pelvic_hip",
        explanation=_join(*sentences),
        measure=measure,
        value=value,
        reference=reference,
        source=source,
        practice_default=True,
        side=side,
        overactive=deviation.overactive if deviation else (),
        underactive=deviation.underactive if deviation else (),
    )


def _pelvis(measures: Measures) -> list[Finding]:
    left, right = measures.pelvic_tilt_left_deg, measures.pelvic_tilt_right_deg
    sides = [angle for angle in (left, right) if angle is not None]
    if not sides:
        return []
    mean = round(sum(sides) / len(sides), 2)
    measured = (
        "mean of left and right"
        if len(sides) == 2
        else ("left side only" if left is not None else "right side only")
    )
    findings = []
    if mean > PELVIC_TILT_ANTERIOR_ABOVE_DEG:
        findings.append(
            _pelvis_finding(
                "anterior_pelvic_tilt",
                f"Pelvic tilt {_num(mean)}° ({measured}) is above 15°, the upper end of "
                "the commonly quoted healthy range: a probable increased anterior pelvic "
                "tilt (practice default, no validated cut-off).",
                PELVIS_CAVEAT,
                "Look for an arching low back in the overhead squat before acting on it.",
                measure="pelvic_tilt_mean_deg",
                value=mean,
                reference="> 15° anterior (upper end of the commonly quoted 7-15°); "
                "practice default",
                deviation=POSTURE_DEVIATIONS["anterior_pelvic_tilt"],
            )
        )
    elif mean < PELVIC_TILT_POSTERIOR_BELOW_DEG:
        findings.append(
            _pelvis_finding(
                "posterior_pelvic_tilt",
                f"Pelvic tilt {_num(mean)}° ({measured}) is below 0°: the front of the "
                "pelvis sits lower than usual, a probable posterior pelvic tilt "
                "(practice default, no validated cut-off; 6-7 % of young adults stand "
                "this way, Herrington 2011).",
                PELVIS_CAVEAT,
                measure="pelvic_tilt_mean_deg",
                value=mean,
                reference="< 0° (posterior); practice default",
            )
        )
    if left is not None and right is not None:
        difference = round(abs(left - right), 2)
        if difference > PELVIC_ASYMMETRY_ABOVE_DEG:
            higher = "left" if left > right else "right"
            findings.append(
                _pelvis_finding(
                    "pelvic_asymmetry",
                    f"Left {_num(left)}° and right {_num(right)}° differ by "
                    f"{_num(difference)}° (more anterior tilt on the {higher}): a "
                    "probable left-right pelvic asymmetry (practice default of 5°).",
                    "Small side differences are within measurement error (Herrington "
                    "2011), and bone shape alone can differ by up to 11° between sides "
                    "(Preece 2008): re-measure, and compare with the client's baseline "
                    "rather than treating it as a diagnosis.",
                    measure="pelvic_tilt_difference_deg",
                    value=difference,
                    reference="> 5° left-right difference; practice default",
                    source=f"{PELVIS_SOURCE}, PMC6151938",
                    side=higher,
                )
            )
    return findings


# --- Static posture -------------------------------------------------------------------------


def _measured_codes(measures: Measures) -> set[str]:
    """Finding codes a measurement decides, so that the matching observation stands aside."""
    codes = set()
    if measures.cva_deg is not None:
        codes.add("forward_head_posture")
    if measures.pelvic_tilt_left_deg is not None or measures.pelvic_tilt_right_deg is not None:
        codes |= {"anterior_pelvic_tilt", "posterior_pelvic_tilt"}
    return codes


def _unique_sorted(observations: Iterable, order: dict[str, int]) -> list:
    """Drop repeats and sort in vocabulary order, then by side, so input order never matters."""
    unique = {(o.code, o.side): o for o in observations}
    return sorted(
        unique.values(), key=lambda o: (order[o.code], _SIDE_ORDER.get(o.side, 9), o.side or "")
    )


def _posture_observations(measures: Measures) -> list[PostureObservation]:
    """The posture observations that count: known codes, minus those a measurement outranks."""
    order = {code: index for index, code in enumerate(POSTURE_DEVIATIONS)}
    for observation in measures.posture:
        if observation.code not in POSTURE_DEVIATIONS:
            raise ValueError(f"unknown posture observation {observation.code!r}")
    outranked = _measured_codes(measures)
    return [
        o
        for o in _unique_sorted(measures.posture, order)
        if POSTURE_DEVIATIONS[o.code].finding not in outranked
    ]


def _side_text(side: str | None) -> str:
    if side in (None, ""):
        return ""
    return " on both sides" if side == "both" else f" on the {side} side"


def _posture(measures: Measures) -> list[Finding]:
    findings = []
    for observation in _posture_observations(measures):
        deviation = POSTURE_DEVIATIONS[observation.code]
        if deviation.finding is None:
            continue  # no finding of its own; it still counts towards the patterns
        extra = ""
        if deviation.finding == "pelvic_asymmetry":
            extra = (
                "Visible obliquity, or a leg-length difference of about 1-2 cm or more, is "
                "measured clinically: refer, and do not correct it with exercise alone "
                "(derived rule)."
            )
        findings.append(
            _observed(
                deviation.finding,
                deviation,
                observation,
                measure="posture",
                reference="observed in static posture",
                explanation=(
                    f"Observed in standing posture{_side_text(observation.side)}: "
                    f"{deviation.label.lower()}.",
                    extra,
                    _muscle_sentence(deviation.overactive, deviation.underactive),
                    SCREENING,
                ),
            )
        )
    return findings


def _observed(code, observed, observation, *, measure, reference, explanation) -> Finding:
    """A finding for something seen (a posture deviation, a squat compensation)."""
    return Finding(
        code=code,
        severity=Severity.PRESENT,
        region=observed.region,
        explanation=_join(*explanation),
        measure=measure,
        value=observation.code,
        reference=reference,
        source=observed.source,
        side=observation.side,
        overactive=observed.overactive,
        underactive=observed.underactive,
    )


def _signs(measures: Measures, measured: list[Finding]) -> dict[str, str]:
    """Every sign present, namespaced as in posture.PATTERNS, with a phrase for the page."""
    signs: dict[str, str] = {}
    for finding in measured:
        signs[f"finding:{finding.code}"] = (
            f"{finding.code.replace('_', ' ')} measured ({_num(finding.value)}°)"
        )
    for observation in _posture_observations(measures):
        label = POSTURE_DEVIATIONS[observation.code].label.lower()
        signs[f"posture:{observation.code}"] = f"{label} (standing)"
    for observation in measures.ohs:
        if observation.code in OHS:
            signs[f"ohs:{observation.code}"] = f"{OHS[observation.code].label.lower()} (squat)"
    for code in measures.gait:
        if code in GAIT:
            signs[f"gait:{code}"] = f"{GAIT[code].label.lower()} (walking)"
    return signs


def _pattern_finding(rule: PatternRule, matched: list[str]) -> Finding:
    caution = ""
    if rule.code == "lower_crossed_pattern":
        caution = (
            "Standing pelvic tilt and lumbar curve do not always go together (Youdas 1996): "
            "confirm with movement before programming around it."
        )
    return Finding(
        code=rule.code,
        severity=Severity.PRESENT,
        region=rule.region,
        explanation=_join(
            f"Seen together: {'; '.join(matched)}. This is {rule.why}.",
            _muscle_sentence(rule.overactive, rule.underactive),
            caution,
            "Which signs suffice is a practice default. A pattern guides exercise choice; "
            "it is not a diagnosis.",
        ),
        measure="posture",
        value=", ".join(matched),
        reference=f"{rule.label} (§3); combination rule is a practice default",
        source=rule.source,
        practice_default=True,
        overactive=rule.overactive,
        underactive=rule.underactive,
    )


def _patterns(measures: Measures, measured: list[Finding]) -> list[Finding]:
    signs = _signs(measures, measured)
    findings = []
    for rule in PATTERNS:
        if all(any(sign in signs for sign in group) for group in rule.groups):
            matched = [signs[sign] for group in rule.groups for sign in group if sign in signs]
            findings.append(_pattern_finding(rule, matched))
    return findings


# --- Overhead squat and gait ------------------------------------------------------------------


def _ohs(observations: tuple[OhsObservation, ...]) -> list[Finding]:
    order = {code: index for index, code in enumerate(OHS_COMPENSATIONS)}
    for observation in observations:
        if observation.code not in OHS:
            raise ValueError(f"unknown overhead squat compensation {observation.code!r}")
        if observation.view is not None and observation.view not in VIEWS:
            raise ValueError(f"unknown overhead squat view {observation.view!r}")
    findings = []
    for observation in _unique_sorted(observations, order):
        compensation = OHS[observation.code]
        view = VIEWS[observation.view or compensation.view]
        findings.append(
            _observed(
                f"ohs_{compensation.code}",
                compensation,
                observation,
                measure="ohs",
                reference="NASM overhead squat compensations (§1.2)",
                explanation=(
                    f"Overhead squat ({view}){_side_text(observation.side)}: "
                    f"{compensation.label.lower()}.",
                    _muscle_sentence(compensation.overactive, compensation.underactive),
                    compensation.note,
                    "A movement screening cue, not a diagnosis.",
                ),
            )
        )
    return findings


def _gait_codes(measures: Measures) -> list[str]:
    for code in measures.gait:
        if code not in GAIT:
            raise ValueError(f"unknown gait deviation {code!r}")
    order = list(GAIT)
    return sorted(set(measures.gait), key=order.index)


def _gait(measures: Measures) -> list[Finding]:
    findings = []
    for code in _gait_codes(measures):
        deviation = GAIT[code]
        if deviation.refer in (ALWAYS_REFER, REFER):
            refer = "The reference says to refer to a physician."
        elif deviation.refer == REFER_IF:
            refer = f"Refer {deviation.refer_when}."
        else:
            refer = "Read it together with the Timed Up and Go."
        findings.append(
            Finding(
                code=f"gait_{code}",
                severity=Severity.PRESENT,
                region=deviation.region,
                explanation=_join(
                    f"Observed when walking: {deviation.label.lower()}. Usually linked to "
                    f"{deviation.linked_to}.",
                    _muscle_sentence(deviation.overactive, deviation.underactive),
                    refer,
                    SCREENING,
                ),
                measure="gait",
                value=code,
                reference="gait deviations a fitness professional can record (§11)",
                source=deviation.source,
                overactive=deviation.overactive,
                underactive=deviation.underactive,
            )
        )
    return findings


# --- Seniors ----------------------------------------------------------------------------------


def _norm_explanation(result: NormResult, sex: str) -> str:
    label = _SENIOR_LABELS[result.test]
    low, high = result.age_band
    worse = "slower than" if not result.higher_is_better else "below"
    lower_is_better = " (lower is better)" if not result.higher_is_better else ""
    return _join(
        f"{label}: {_num(result.value)} {result.unit} is {worse} the typical range for "
        f"{_PEOPLE[sex]} aged {low}-{high}{lower_is_better}: {result.range_text}, the middle "
        "half of people that age (25th-75th percentile).",
        "Inside the range is average for age, beyond it above average.",
        result.note,
        SCREENING,
    )


def _senior_norms(senior: SeniorTests, *, sex: str, age: int) -> list[Finding]:
    findings = []
    for result in senior_results(senior, sex, age):
        if result.band is not Band.BELOW:
            continue
        low, high = result.age_band
        reference = (
            f"{result.range_text} typical for {_PEOPLE[sex]} aged {low}-{high} "
            "(Rikli & Jones, 25th-75th percentile)"
        )
        if result.practice_default:
            reference += "; 90-94 band used over 94, practice default"
        findings.append(
            Finding(
                code=f"senior_below_norm_{result.test}",
                severity=Severity.PRESENT,
                region=_SENIOR_REGIONS[result.test],
                explanation=_norm_explanation(result, sex),
                measure=f"senior.{result.test}",
                value=result.value,
                reference=reference,
                source=result.source,
                practice_default=result.practice_default,
            )
        )
    return findings


def _fall_risk_explanation(result: FallRiskResult) -> str:
    label = _SENIOR_LABELS[result.test]
    value = f"{label} {_num(result.value)} {result.unit}"
    if result.test == "tug_s":
        reading = (
            f"{value}: 12 seconds or more marks a risk of falling (CDC STEADI). Note how the "
            "client walks: slow pace, short strides, little arm swing, shuffling or steadying "
            "on walls point to a problem that needs a physician's evaluation."
        )
    elif result.test == "tandem_stance_s":
        reading = (
            f"{value}: not holding tandem stance for 10 seconds marks an increased fall risk "
            "(CDC STEADI 4-stage balance test)."
        )
    else:
        reading = f"{value}: {result.reference.removeprefix('STEADI: ')} (CDC STEADI)."
    return _join(reading, result.note, SCREENING)


def _fall_risk(senior: SeniorTests, *, sex: str, age: int) -> list[Finding]:
    return [
        Finding(
            code="fall_risk",
            severity=Severity.PRESENT,
            region="whole_body",
            explanation=_fall_risk_explanation(result),
            measure=f"senior.{result.test}",
            value=result.value,
            reference=result.reference
            + ("; 90-94 band used over 94, practice default" if result.practice_default else ""),
            source=result.source,
            practice_default=result.practice_default,
        )
        for result in fall_risk_results(senior, sex=sex, age=age)
        if result.at_risk
    ]


# --- Postpartum ---------------------------------------------------------------------------------


def _weeks_text(facts: ClientFacts) -> str:
    if facts.delivery_date is None or facts.delivery_date > facts.assessed_on:
        return ""
    weeks = weeks_since(facts.delivery_date, facts.assessed_on)
    return (
        f"Assessed {weeks:.1f} weeks after delivery. For context, about 60 % of first-time "
        "mothers have a gap of this size at 6 weeks, 45 % at 6 months and 33 % at 12 months "
        "(Sperstad 2016)."
    )


def _diastasis(postpartum: PostpartumMeasures, facts: ClientFacts) -> list[Finding]:
    measured = [
        (getattr(postpartum, key), where)
        for key, where in IRD_SITES
        if getattr(postpartum, key) is not None
    ]
    wide = [(width, where) for width, where in measured if width >= DRA_FROM_CM]
    if not wide and not postpartum.doming:
        return []
    doming = "Doming of the midline was seen on effort." if postpartum.doming else ""
    refer = (
        "Refer to a pelvic-health physiotherapist (derived rule: a gap of 2 finger-breadths "
        "or more, or doming); a bulge through a defect (possible hernia) needs a GP."
    )
    if wide:
        widest = max(width for width, _ in wide)
        if widest > DRA_SEVERE_ABOVE_CM:
            severity = Severity.SEVERE
        elif widest >= DRA_MODERATE_FROM_CM:
            severity = Severity.MODERATE
        else:
            severity = Severity.MILD
        sites = ", ".join(f"{_num(width)} cm {where}" for width, where in wide)
        reading = (
            f"Inter-recti distance of 2 cm or more ({sites}): probable diastasis recti, "
            f"{severity} by the practice-default bands (there is no agreed severity scale)."
        )
        measure, value = "postpartum.ird_widest_cm", widest
    else:
        severity = Severity.PRESENT
        reading = "No gap of 2 cm or more was measured, but doming suggests diastasis recti."
        measure, value = "postpartum.doming", "doming"
    return [
        Finding(
            code="diastasis_recti",
            severity=severity,
            region="abdomen_pelvic_floor",
            explanation=_join(reading, doming, _weeks_text(facts), refer, SCREENING),
            measure=measure,
            value=value,
            reference=DRA_REFERENCE + ("; doming counts (derived rule)" if not wide else ""),
            source=DRA_SOURCE,
            practice_default=True,
            underactive=("intrinsic_core", "pelvic_floor"),
        )
    ]


def _symptoms(postpartum: PostpartumMeasures) -> list[str]:
    return [text for key, text in PELVIC_FLOOR_SYMPTOMS if getattr(postpartum, key)]


def _pelvic_floor(postpartum: PostpartumMeasures) -> list[Finding]:
    symptoms = _symptoms(postpartum)
    if not symptoms:
        return []
    keys = [key for key, _ in PELVIC_FLOOR_SYMPTOMS if getattr(postpartum, key)]
    return [
        Finding(
            code="pelvic_floor_symptoms",
            severity=Severity.PRESENT,
            region="abdomen_pelvic_floor",
            explanation=_join(
                f"Reported: {', '.join(symptoms)}. These are stop-and-refer symptoms: refer "
                "to a pelvic-health physiotherapist, and avoid impact and heavy lifting until "
                "reviewed.",
                SCREENING,
            ),
            measure="postpartum.pelvic_floor",
            value=", ".join(keys),
            reference="any leakage, heaviness or pelvic pain → refer (§7.2, §7.3)",
            source=PELVIC_FLOOR_SOURCE,
        )
    ]


# --- Youth ----------------------------------------------------------------------------------

_STAGE_MEANING = {
    "pre_phv": "before the growth spurt",
    "circa_phv": "around the growth spurt, when growth-related pain is most common",
    "post_phv": "past the growth spurt",
}
_GROWTH_PAIN = {
    "knee": (
        "Knee pain during growth: Osgood-Schlatter (below the kneecap) is common, typically "
        "girls 10-13 and boys 12-14. Knee or hip pain with a limp can be a slipped capital "
        "femoral epiphysis, which needs urgent medical review.",
        "PRP-physio, NWPG, Geneslaw, AAFP-SCFE",
    ),
    "heel": (
        "Heel pain during growth: Sever's (calcaneal apophysitis) is common from about 8 to "
        "14 years, often on both sides. Reduce impact and refer if it persists.",
        "BackBody, StuartMailer, Geneslaw",
    ),
    "hip": (
        "Hip, groin or thigh pain during growth, especially with a limp, can be a slipped "
        "capital femoral epiphysis, which needs urgent medical review.",
        "AAFP-SCFE, AccessPeds-SCFE, MSD-SCFE",
    ),
}


def _maturity(youth: YouthMeasures, facts: ClientFacts) -> list[Finding]:
    if youth.height_cm is None or age_on(facts.birth_date, facts.assessed_on) >= YOUTH_UNDER_YEARS:
        return []  # the equations are for growing children; adults are past PHV
    age = decimal_age(facts.birth_date, facts.assessed_on)
    estimate = estimate_maturity(
        sex=facts.sex,
        age_years=age,
        height_cm=youth.height_cm,
        sitting_height_cm=youth.sitting_height_cm,
        weight_kg=youth.weight_kg,
    )
    equation = (
        "Mirwald 2002" if estimate.equation is Equation.MIRWALD_2002 else "Moore 2015 (simplified)"
    )
    best_from, best_to = BEST_ACCURACY_AGES[facts.sex]
    accuracy = (
        f"The estimate is about ±0.5 years and is most accurate for {_YOUNG[facts.sex]} "
        f"aged {best_from}-{best_to}"
    )
    accuracy += "." if best_from <= age <= best_to else f"; at {age:.1f} it is less reliable."
    return [
        Finding(
            code=f"youth_{estimate.stage.value}",
            severity=Severity.PRESENT,
            region="whole_body",
            explanation=_join(
                f"Estimated maturity offset {estimate.offset:+.2f} years from peak height "
                f"velocity (age at PHV about {estimate.age_at_phv:.1f}) with {equation}: "
                f"{estimate.stage.label}, {_STAGE_MEANING[estimate.stage.value]}.",
                accuracy,
                "Early and late maturers are pulled towards average. A screening estimate, "
                "not a diagnosis.",
            ),
            measure="youth.maturity_offset",
            value=estimate.offset,
            reference="pre-PHV < -1.0 y, circa-PHV -1.0 to +1.0 y, post-PHV > +1.0 y (convention)",
            source=f"{estimate.source}, {STAGE_SOURCE}",
        )
    ]


def _growth_pain(youth: YouthMeasures) -> list[Finding]:
    findings = []
    for part in dict.fromkeys(youth.growth_pain):
        text, source = _GROWTH_PAIN.get(
            part,
            (
                f"Pain in the {_part_text(part)} linked to growth. Night pain, pain at rest, a "
                "limp, swelling or feeling unwell need a physician.",
                "DFTB",
            ),
        )
        findings.append(
            Finding(
                code="growth_related_pain",
                severity=Severity.PRESENT,
                region=body_region(part),
                explanation=_join(
                    text,
                    "Refer for assessment and modify loading (less jumping, kneeling and "
                    "impact) in the meantime.",
                    SCREENING,
                ),
                measure="youth.growth_pain",
                value=part,
                reference="growth-related conditions: modify or refer (§8.4)",
                source=source,
            )
        )
    return findings


# --- Pain ----------------------------------------------------------------------------------


def _pain_line(report: PainReport) -> str:
    return f"Pain {report.score}/10 in the {_part_text(report.region)} during testing"


def _pain(reports: tuple[PainReport, ...]) -> list[Finding]:
    return [
        Finding(
            code="pain",
            severity=Severity.PRESENT,
            region=body_region(report.region),
            explanation=_join(
                f"{_pain_line(report)}. Painful findings are referred, not corrected: refer to "
                "a physiotherapist or physician before corrective exercise for this area.",
            ),
            measure="pain.score",
            value=report.score,
            reference="any pain during testing → refer (§2.1, §10)",
            source=PAIN_SOURCE,
        )
        for report in reports
        if report.score >= 1
    ]


# --- Public API ----------------------------------------------------------------------------


def interpret(measures: Measures, facts: ClientFacts) -> list[Finding]:
    """All findings for one assessment, in a fixed order (head to feet, then by population)."""
    age = age_on(facts.birth_date, facts.assessed_on)
    measured = _forward_head(measures) + _pelvis(measures)
    findings = [
        *measured,
        *_posture(measures),
        *_patterns(measures, measured),
        *_ohs(measures.ohs),
        *_gait(measures),
    ]
    if measures.senior is not None:
        findings += _senior_norms(measures.senior, sex=facts.sex, age=age)
        findings += _fall_risk(measures.senior, sex=facts.sex, age=age)
    if measures.postpartum is not None:
        findings += _diastasis(measures.postpartum, facts)
        findings += _pelvic_floor(measures.postpartum)
    if measures.youth is not None:
        findings += _maturity(measures.youth, facts)
        findings += _growth_pain(measures.youth)
    findings += _pain(measures.pain)
    return findings


def _clearance_weeks(facts: ClientFacts) -> tuple[int, str, str]:
    """Weeks to wait, the birth type used and a note when the type was not recorded."""
    birth = delivery_type_applied(facts.delivery_type)
    unknown = "" if birth == facts.delivery_type else " (birth type not recorded)"
    return CLEARANCE_WEEKS[birth], birth, unknown


def referral_for(measures: Measures, facts: ClientFacts, findings: list[Finding]) -> Referral:
    """Whether to refer before corrective exercise, why (case-format reasons) and in words.

    Every reason found is listed, whether or not a recorded clearance covers it (the case
    format: ``publishable`` says whether the clearance covers them); only the wording of
    the details changes when ``facts.clearance_recorded``.
    """
    reasons: list[str] = []
    details: list[str] = []

    if facts.parq_yes:
        numbers = ", ".join(str(n) for n in sorted(facts.parq_yes))
        plural = "s" if len(facts.parq_yes) > 1 else ""
        reasons.append("parq_positive")
        details.append(
            f"PAR-Q+ question{plural} {numbers} answered yes: a clearance is on file."
            if facts.clearance_recorded
            else f"PAR-Q+ question{plural} {numbers} answered yes and no clearance on file: "
            "the client should see a physician, and the clearance be recorded, before exercise."
        )

    painful = [report for report in measures.pain if report.score >= 1]
    antalgic = "antalgic" in measures.gait
    if painful or antalgic:
        reasons.append("pain")
        details += [
            f"{_pain_line(report)}: refer to a physiotherapist or physician before corrective "
            "exercise."
            for report in painful
        ]
        if antalgic:
            details.append(
                "Antalgic gait (short stance on one side) points to pain: refer to a "
                "physiotherapist or physician unless the cause is known and managed."
            )

    if measures.postpartum is not None and _symptoms(measures.postpartum):
        reasons.append("pelvic_floor_symptoms")
        symptoms = " and ".join(_symptoms(measures.postpartum))
        details.append(
            f"Reported {symptoms}: refer to a pelvic-health physiotherapist before impact "
            "or heavy lifting."
        )

    if facts.delivery_date is not None and facts.delivery_date <= facts.assessed_on:
        weeks = weeks_since(facts.delivery_date, facts.assessed_on)
        wait, birth, unknown = _clearance_weeks(facts)
        if weeks < wait:
            reasons.append("postpartum_not_cleared")
            details.append(
                f"{weeks:.1f} weeks after a {birth} birth{unknown}, before the postnatal "
                f"check at {wait} weeks: a clearance is on file."
                if facts.clearance_recorded
                else f"{weeks:.1f} weeks after a {birth} birth{unknown} and no clearance on "
                f"file: wait for the postnatal check at {wait} weeks and record the clearance "
                "before structured exercise (practice default: 6 weeks after a vaginal "
                f"birth, 8 after a caesarean; {CLEARANCE_SOURCES[birth]})."
            )

    if measures.youth is not None and measures.youth.growth_pain:
        reasons.append("growth_related_pain")
        parts = ", ".join(_part_text(part) for part in dict.fromkeys(measures.youth.growth_pain))
        details.append(
            f"Growth-related pain ({parts}): refer for assessment before loading; hip or knee "
            "pain with a limp needs urgent medical review (possible slipped capital femoral "
            "epiphysis)."
        )

    slow_tug = [f for f in findings if f.code == "fall_risk" and f.measure == "senior.tug_s"]
    gait_signs = [GAIT[code] for code in _gait_codes(measures) if GAIT[code].fall_risk_sign]
    if slow_tug and gait_signs:
        reasons.append("fall_risk")
        seen = ", ".join(sign.label.lower() for sign in gait_signs)
        details.append(
            f"Timed Up and Go {_num(slow_tug[0].value)} s with {seen} observed: refer to a "
            "physician or falls service before balance or gait training (CDC STEADI)."
        )
    elif slow_tug:
        details.append(
            f"Timed Up and Go {_num(slow_tug[0].value)} s: at risk of falling, with no gait "
            "abnormality recorded. If the client has fallen in the past year, fears falling "
            "or is dizzy on standing, refer to a physician or falls service (CDC STEADI)."
        )

    # Gait signs the reference says to refer (§11: foot slap always; wide base, shuffling,
    # asymmetry) are red flags: they gate the program like pain does. So is a limp
    # (Trendelenburg, antalgic) in a client under 18 (§8.4, §9.3: possible slipped capital
    # femoral epiphysis, urgent). Conditions the record cannot show (new onset, how it
    # changed) stay advice lines for the specialist; pain and a slow TUG are reasons above.
    growing = age_on(facts.birth_date, facts.assessed_on) < YOUTH_UNDER_YEARS
    red_flags = []
    for code in _gait_codes(measures):
        deviation = GAIT[code]
        if growing and deviation.refer_in_youth:
            red_flags.append(deviation)
            details.append(
                f"{deviation.label} in a client under 18: urgent medical referral and no "
                "loading until seen (possible slipped capital femoral epiphysis, §8.4)."
            )
        elif code == "antalgic" or deviation.refer is None:
            continue
        elif deviation.refer in (ALWAYS_REFER, REFER):
            red_flags.append(deviation)
            details.append(f"{deviation.label} observed: refer to a physician.")
        else:
            details.append(f"{deviation.label} observed: refer {deviation.refer_when}.")
    if red_flags:
        reasons.append("gait_red_flag")

    # §7.1 derived rule (and §7.3): a gap of 2 finger-breadths (2 cm) or more, or doming,
    # goes to a pelvic-health physiotherapist; that is exactly the diastasis finding.
    if any(f.code == "diastasis_recti" for f in findings):
        reasons.append("diastasis_review")
        details.append(
            "Diastasis recti (a gap of 2 cm or more, or doming): refer to a pelvic-health "
            "physiotherapist; a bulge through a defect needs a GP."
        )

    # §5.3 derived rule: visible obliquity is measured clinically, never corrected with
    # exercise alone. The inclinometer's left-right tilt difference is not this sign.
    if any(f.code == "pelvic_asymmetry" and f.measure == "posture" for f in findings):
        reasons.append("pelvic_obliquity")
        details.append(
            "Visible pelvic obliquity: refer for a clinical leg-length and obliquity "
            "measurement; do not correct it with exercise alone."
        )
    return Referral(reasons=tuple(reasons), details=tuple(details))
