import re
import shutil
import tomllib

import pytest

from core.data_files import DataFileError
from programs.library import (
    LIBRARY_DIR,
    PHASES,
    POPULATIONS,
    SOURCES,
    load_library,
    parse_library,
)

# Reference §1.2 and §3 (compensations and distortion patterns), as muscle ids.
UNDERACTIVE = (
    "medial_gastrocnemius",
    "medial_hamstrings",
    "gracilis",
    "sartorius",
    "popliteus",
    "anterior_tibialis",
    "posterior_tibialis",
    "gluteus_medius",
    "gluteus_maximus",
    "vmo",
    "adductors",
    "hamstrings",
    "erector_spinae",
    "intrinsic_core",
    "pelvic_floor",
    "hip_flexors",
    "latissimus_dorsi",
    "middle_lower_trapezius",
    "rhomboids",
    "rotator_cuff",
    "serratus_anterior",
    "deep_cervical_flexors",
    "hip_external_rotators",
    "foot_intrinsics",
)
OVERACTIVE = (
    "soleus",
    "gastrocnemius",
    "lateral_gastrocnemius",
    "peroneals",
    "toe_flexors",
    "biceps_femoris",
    "biceps_femoris_short_head",
    "tfl",
    "gluteus_minimus",
    "adductors",
    "adductor_magnus",
    "vastus_lateralis",
    "piriformis",
    "hip_flexors",
    "rectus_femoris",
    "rectus_abdominis",
    "external_obliques",
    "erector_spinae",
    "latissimus_dorsi",
    "teres_major",
    "hamstrings",
    "pectorals",
    "upper_trapezius",
    "levator_scapulae",
    "scm",
    "scalenes",
    "suboccipitals",
)
TRUNK_LOADING = {"loaded_spinal_flexion", "high_intra_abdominal_pressure"}


@pytest.fixture(scope="module")
def library():
    return load_library()


# The shipped library


def test_shipped_library_loads_with_a_short_content_version(library):
    assert re.fullmatch(r"[0-9a-f]{12}", library.version)


def test_shipped_library_has_at_least_80_exercises(library):
    assert len(library) >= 80


@pytest.mark.parametrize("phase", PHASES)
def test_each_phase_has_at_least_15_exercises(library, phase):
    assert len(library.by_phase(phase)) >= 15


@pytest.mark.parametrize("population", POPULATIONS)
def test_each_population_has_at_least_10_exercises(library, population):
    assert len(library.for_population(population)) >= 10


def test_load_library_is_cached_for_the_default_directory():
    assert load_library() is load_library()


def test_get_returns_the_exercise_or_none(library):
    assert library.get("glute-bridge").name == "Glute bridge"
    assert library.get("no-such-exercise") is None


def test_regions_are_derived_from_targets(library):
    assert library.get("glute-bridge").regions == ("lumbo_pelvic_hip",)
    assert library.get("chin-tuck-seated").regions == ("head_neck",)
    assert library.get("squat-to-row").regions == ("shoulders", "lumbo_pelvic_hip")


@pytest.mark.parametrize("muscle", UNDERACTIVE)
def test_every_underactive_muscle_has_an_activate_exercise(library, muscle):
    assert [e.slug for e in library.by_phase("activate") if muscle in e.targets]


@pytest.mark.parametrize("muscle", OVERACTIVE)
def test_every_overactive_muscle_has_an_inhibit_or_lengthen_exercise(library, muscle):
    softening = library.by_phase("inhibit") + library.by_phase("lengthen")
    assert [e.slug for e in softening if muscle in e.targets]


def test_postpartum_has_pelvic_floor_and_deep_core_work_free_of_risky_tags(library):
    restore = [
        e
        for e in library.for_population("postpartum")
        if e.phase == "activate"
        and {"pelvic_floor", "intrinsic_core", "diaphragm"} & set(e.targets)
    ]
    pelvic_floor = [e.slug for e in restore if "pelvic_floor" in e.targets]
    deep_core = [e.slug for e in restore if "intrinsic_core" in e.targets]
    assert len(pelvic_floor) >= 4
    assert len(deep_core) >= 8
    assert [e.slug for e in restore if e.tags & (TRUNK_LOADING | {"impact"})] == []


def test_postpartum_pelvic_floor_doses_follow_the_standing_baseline(library):
    assert library.get("pelvic-floor-quick-contractions").reps == 10
    holds = library.get("pelvic-floor-long-holds-standing")
    assert 8 <= holds.reps <= 12
    assert 6 <= holds.hold_s <= 8
    assert library.get("pelvic-floor-endurance-hold").hold_s == 60


def test_crunches_sit_ups_and_planks_do_not_suit_postpartum(library):
    risky = [e.slug for e in library.for_population("postpartum") if e.tags & TRUNK_LOADING]
    assert risky == []


def test_seniors_have_chair_supported_work_in_every_phase(library):
    chair = [
        e
        for e in library.for_population("senior")
        if e.position == "chair_supported" or "chair" in e.equipment
    ]
    assert len(chair) >= 15
    assert {e.phase for e in chair} == set(PHASES)


def test_seniors_have_supported_balance_work(library):
    supported = [
        e.slug
        for e in library.for_population("senior")
        if "single_leg_balance" in e.patterns and "unsupported_balance" not in e.tags
    ]
    assert {"supported-tandem-stance", "single-leg-stance-supported"} <= set(supported)


def test_balance_work_without_a_hand_on_support_is_tagged_unsupported(library):
    supported_positions = {"chair_supported", "wall"}
    untagged = [
        e.slug
        for e in library
        if "single_leg_balance" in e.patterns
        and e.position not in supported_positions
        and "unsupported_balance" not in e.tags
    ]
    assert untagged == []


def test_youth_have_motor_skill_work_including_some_without_impact(library):
    motor_skills = [e for e in library.for_population("youth") if "locomotion" in e.patterns]
    assert len(motor_skills) >= 10
    assert [e.slug for e in motor_skills if "impact" not in e.tags]


def test_youth_strength_doses_stay_within_the_nsca_start(library):
    for exercise in library.for_population("youth"):
        if exercise.source == "NSCA-2009":
            assert exercise.sets <= 2
            assert 8 <= exercise.reps <= 15


@pytest.mark.parametrize(
    ("slug", "tag"),
    [
        ("box-jump", "impact"),
        ("jump-squat", "impact"),
        ("high-knee-run", "impact"),
        ("a-skip", "impact"),
        ("walk-jog-intervals", "impact"),
        ("crunch", "loaded_spinal_flexion"),
        ("crunch", "high_intra_abdominal_pressure"),
        ("sit-up", "loaded_spinal_flexion"),
        ("v-up", "loaded_spinal_flexion"),
        ("front-plank", "high_intra_abdominal_pressure"),
        ("barbell-back-squat", "heavy_load"),
        ("barbell-back-squat", "high_intra_abdominal_pressure"),
        ("barbell-deadlift", "heavy_load"),
        ("barbell-deadlift", "high_intra_abdominal_pressure"),
        ("levator-scapulae-stretch", "end_range_neck"),
        ("supine-chin-tuck-head-lift", "end_range_neck"),
        ("single-leg-stance", "unsupported_balance"),
        ("single-leg-rdl", "unsupported_balance"),
        ("prone-cobra", "prone_lying"),
        ("glute-bridge", "supine_lying"),
    ],
)
def test_exercises_that_safety_rules_must_catch_carry_their_tag(library, slug, tag):
    assert tag in library.get(slug).tags


@pytest.mark.parametrize(
    ("position", "tag"), [("supine", "supine_lying"), ("prone", "prone_lying")]
)
def test_lying_positions_carry_their_tag(library, position, tag):
    assert [e.slug for e in library if e.position == position and tag not in e.tags] == []


@pytest.mark.parametrize("position", ["supine", "prone", "side_lying", "quadruped", "kneeling"])
def test_floor_positions_carry_the_floor_tag(library, position):
    assert [e.slug for e in library if e.position == position and "floor" not in e.tags] == []


@pytest.mark.parametrize(
    "slug", ["smr-calves", "smr-hamstrings", "smr-piriformis", "butterfly-adductor-stretch"]
)
def test_work_sitting_on_the_floor_is_floor_work(library, slug):
    assert "floor" in library.get(slug).tags


@pytest.mark.parametrize("slug", ["smr-calves-stick", "seated-hamstring-stretch-chair"])
def test_work_on_a_chair_is_not_floor_work(library, slug):
    assert "floor" not in library.get(slug).tags


@pytest.mark.parametrize(
    "slug",
    [
        "kneeling-hip-flexor-stretch",
        "half-kneeling-band-chop",
        "quadruped-bird-dog",
        "childs-pose",
        "kneeling-plank",
        "side-plank-knees",
    ],
)
def test_work_resting_on_a_knee_carries_the_kneeling_tag(library, slug):
    assert "kneeling" in library.get(slug).tags


def test_bear_crawl_keeps_the_knees_off_the_floor(library):
    assert "kneeling" not in library.get("bear-crawl").tags


@pytest.mark.parametrize(
    ("slug", "loaded"),
    [
        ("goblet-squat", True),
        ("barbell-back-squat", True),
        ("forward-lunge", True),
        ("single-leg-sit-to-stand", True),
        ("step-up-to-balance", True),
        ("bodyweight-squat", False),
        ("split-squat-supported", False),
        ("chair-sit-to-stand", False),
    ],
)
def test_loaded_knee_work_is_tagged_and_its_easier_versions_are_not(library, slug, loaded):
    assert ("loaded_knee" in library.get(slug).tags) is loaded


def test_every_muscle_of_senior_floor_work_has_a_chair_or_standing_version(library):
    """With fall risk the floor work is left out; the same muscles must stay coverable."""
    senior = [e for e in library if "senior" in e.populations]
    missing = []
    for floor in (e for e in senior if "floor" in e.tags):
        for target in floor.patterns if floor.phase == "integrate" else floor.targets:
            if not any(
                "floor" not in other.tags
                and other.phase == floor.phase
                and target in (other.patterns if other.phase == "integrate" else other.targets)
                for other in senior
            ):
                missing.append((floor.slug, target))
    assert missing == []


def test_every_exercise_has_two_to_four_cues_spoken_to_the_client(library):
    for exercise in library:
        assert 2 <= len(exercise.cues) <= 4, exercise.slug
        assert any(re.search(r"\byour?\b", cue, re.IGNORECASE) for cue in exercise.cues), (
            exercise.slug
        )


# Cues say how; the dose (sets, reps, hold, tempo) says how much. A count or a duration in a
# cue repeats the dose and contradicts it as soon as a profile or the specialist changes it
# ("twice on each side" under one set, "10 steps" under 12 reps, "hold for 2 seconds" under
# another tempo). Distances, effort and body parts ("a foot away", "a third of your effort",
# "all three contacts") are how, and pass.
_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|sixty)"
)
_DOSE_UNIT = (
    r"(?:reps?|repetitions?|times|seconds?|secs?|minutes?|mins?|hours?|steps?|breaths?"
    r"|rounds?|sets?|hops?|jumps?|bounds?|skips?|laps?)"
)
DOSE_IN_WORDS = re.compile(
    rf"\b{_NUMBER}[\s-]*{_DOSE_UNIT}\b|\b(?:twice|thrice)\b"
    rf"|\b(?:do|repeat|take|skip|hop)\s+{_NUMBER}\b|\bcount of\b",
    re.IGNORECASE,
)
# A duration the dose does not carry is how, not how much: the contract part of a
# contract-relax stretch (~7-15 s, NASM CES via reference §2.2); the dose's hold is the
# stretch that follows it.
HOW_NOT_HOW_MUCH = {("pnf-hamstring-stretch", "7 seconds")}


def test_no_cue_or_name_states_a_count_or_duration_the_dose_owns(library):
    found = [
        (exercise.slug, text)
        for exercise in library
        for text in (exercise.name, *exercise.cues)
        for match in DOSE_IN_WORDS.finditer(text)
        if (exercise.slug, match.group(0).lower()) not in HOW_NOT_HOW_MUCH
    ]
    assert found == []


@pytest.mark.parametrize(
    "cue",
    [
        "Hold for 30 seconds, twice on each side.",
        "Take 10 steps one way and 10 back.",
        "Repeat 6 times.",
        "Keep a steady breath for 1 minute.",
        "Do 10 hops, then switch legs.",
        "Hold your landing for a count of two.",
        "Pelvic floor gentle 60-second hold",
    ],
)
def test_the_dose_check_catches_counts_and_durations(cue):
    assert DOSE_IN_WORDS.search(cue)


@pytest.mark.parametrize(
    "cue",
    [
        "Lean back with your heels about a foot away from the wall.",
        "Lift at about a third to half of your full effort.",
        "Keep all three contacts on the dowel.",
        "Rest a second between each one.",
        "Switch sides and repeat.",
        "Roll a few centimetres at a time.",
    ],
)
def test_the_dose_check_leaves_how_alone(cue):
    assert not DOSE_IN_WORDS.search(cue)


def test_every_source_is_a_known_reference_key(library):
    assert {e.source for e in library} <= set(SOURCES)


def test_inhibit_is_one_set_held_30_seconds(library):
    doses = {(e.sets, e.hold_s, e.source) for e in library.by_phase("inhibit")}
    assert doses == {(1, 30, "OEP-flex")}


def test_static_stretches_hold_30_seconds(library):
    holds = {e.hold_s for e in library.by_phase("lengthen") if e.reps is None}
    assert holds == {30}


def test_activation_tempo_is_the_stabilization_tempo(library):
    assert {e.tempo for e in library if e.tempo} == {"4/2/2"}


def test_regressions_are_easier_and_progressions_harder(library):
    for exercise in library:
        if exercise.regression:
            assert library.get(exercise.regression).level < exercise.level
        if exercise.progression:
            assert library.get(exercise.progression).level > exercise.level


# Versioning


def copy_library(tmp_path):
    target = tmp_path / "exercises"
    shutil.copytree(LIBRARY_DIR, target)
    return target


def test_version_changes_when_an_exercise_changes(tmp_path):
    directory = copy_library(tmp_path)
    before = load_library(directory).version
    path = directory / "activate.toml"
    path.write_text(path.read_text().replace("reps = 12", "reps = 15", 1))
    assert load_library(directory).version != before


def test_version_ignores_comments(tmp_path):
    directory = copy_library(tmp_path)
    before = load_library(directory).version
    path = directory / "activate.toml"
    path.write_text("# Reviewed by the lead.\n" + path.read_text())
    assert load_library(directory).version == before


def test_version_of_a_copy_matches_the_shipped_library(tmp_path, library):
    assert load_library(copy_library(tmp_path)).version == library.version


# The parser, on small inline TOML

VALID = """
[[exercise]]
slug = "glute-bridge"
name = "Glute bridge"
phase = "activate"
targets = ["gluteus_maximus"]
equipment = []
position = "supine"
populations = ["adult"]
tags = ["floor", "supine_lying"]
sets = 2
reps = 12
tempo = "4/2/2"
level = 1
source = "PFC-tempo"
cues = ["Lift your hips.", "Lower slowly."]
"""

HARDER = """
[[exercise]]
slug = "single-leg-glute-bridge"
name = "Single-leg glute bridge"
phase = "activate"
targets = ["gluteus_maximus"]
equipment = []
position = "supine"
populations = ["adult"]
tags = ["floor", "supine_lying"]
sets = 2
reps = 12
level = 2
source = "PFC-tempo"
cues = ["Lift one foot.", "Lift your hips."]
"""


def parse(text):
    return parse_library({"test.toml": tomllib.loads(text)})


def edit(old, new, text=VALID):
    assert old in text
    return text.replace(old, new)


def rejection(text):
    with pytest.raises(DataFileError) as caught:
        parse(text)
    return caught.value


def test_parser_accepts_the_valid_example():
    exercise = parse(VALID).get("glute-bridge")
    assert exercise.tags == frozenset({"floor", "supine_lying"})
    assert exercise.patterns == ()
    assert exercise.hold_s is None


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        pytest.param('phase = "activate"', 'phase = "relax"', "phase", id="unknown-phase"),
        pytest.param('["gluteus_maximus"]', '["glutes"]', "targets[0]", id="unknown-muscle"),
        pytest.param('["gluteus_maximus"]', "[]", "targets", id="no-target"),
        pytest.param(
            "equipment = []",
            'patterns = ["jump"]\nequipment = []',
            "patterns[0]",
            id="unknown-pattern",
        ),
        pytest.param(
            '["floor", "supine_lying"]',
            '["floor", "supine_lying", "risky"]',
            "tags[2]",
            id="unknown-tag",
        ),
        pytest.param(
            'populations = ["adult"]',
            'populations = ["teen"]',
            "populations[0]",
            id="unknown-population",
        ),
        pytest.param(
            'populations = ["adult"]', "populations = []", "populations", id="no-population"
        ),
        pytest.param(
            'position = "supine"', 'position = "upside_down"', "position", id="unknown-position"
        ),
        pytest.param(
            'tags = ["floor", "supine_lying"]', "tags = []", "tags", id="supine-without-its-tag"
        ),
        pytest.param(
            'tags = ["floor", "supine_lying"]',
            'tags = ["supine_lying"]',
            "tags",
            id="supine-without-the-floor-tag",
        ),
        pytest.param(
            '["Lift your hips.", "Lower slowly."]', '["Lift your hips."]', "cues", id="one-cue"
        ),
        pytest.param('"Lower slowly."]', '"B.", "C.", "D.", "E."]', "cues", id="five-cues"),
        pytest.param('name = "Glute bridge"\n', "", "name", id="missing-name"),
        pytest.param('tags = ["floor", "supine_lying"]\n', "", "tags", id="missing-tags"),
        pytest.param("level = 1\n", "", "level", id="missing-level"),
        pytest.param("sets = 2", 'sets = "two"', "sets", id="sets-not-a-number"),
        pytest.param("sets = 2", "sets = true", "sets", id="sets-boolean"),
        pytest.param("sets = 2", "sets = 0", "sets", id="sets-below-range"),
        pytest.param("sets = 2", "sets = 5", "sets", id="sets-above-range"),
        pytest.param("reps = 12", "reps = 100", "reps", id="reps-above-range"),
        pytest.param("reps = 12", "reps = 12\nhold_s = 601", "hold_s", id="hold-above-range"),
        pytest.param('reps = 12\ntempo = "4/2/2"\n', "", "reps", id="neither-reps-nor-hold"),
        pytest.param('tempo = "4/2/2"', 'tempo = "slow"', "tempo", id="malformed-tempo"),
        pytest.param(
            '["gluteus_maximus"]', '"gluteus_maximus"', "targets", id="targets-not-a-list"
        ),
        pytest.param('source = "PFC-tempo"', 'source = "a-blog"', "source", id="unknown-source"),
        pytest.param("level = 1", "level = 4", "level", id="level-above-range"),
        pytest.param('"glute-bridge"', '"Glute Bridge"', "slug", id="slug-not-kebab-case"),
        pytest.param("level = 1", 'level = 1\ncolour = "red"', "colour", id="unknown-field"),
        pytest.param(
            "level = 1",
            'level = 1\nprogression = "glute-bridge"',
            "progression",
            id="self-reference",
        ),
        pytest.param(
            'phase = "activate"', 'phase = "integrate"', "patterns", id="integrate-without-pattern"
        ),
        pytest.param(
            'phase = "activate"', 'phase = "inhibit"', "hold_s", id="inhibit-without-hold"
        ),
    ],
)
def test_parser_rejects_malformed_exercise_naming_the_field(old, new, field):
    assert rejection(edit(old, new)).field == field


def test_parser_rejects_a_duplicate_slug():
    error = rejection(VALID + VALID)
    assert (error.file, error.record, error.field) == ("test.toml", "glute-bridge", "slug")


def test_parser_names_the_other_file_holding_a_duplicate_slug():
    docs = {"a.toml": tomllib.loads(VALID), "b.toml": tomllib.loads(VALID)}
    with pytest.raises(DataFileError, match="also in a.toml"):
        parse_library(docs)


def test_parser_rejects_a_dangling_regression():
    error = rejection(edit("level = 2", 'level = 2\nregression = "bridge"', HARDER))
    assert (error.record, error.field) == ("single-leg-glute-bridge", "regression")
    assert error.where == "test.toml single-leg-glute-bridge"


def test_parser_rejects_a_dangling_progression():
    error = rejection(edit("level = 1", 'level = 1\nprogression = "bridge-march"'))
    assert (error.record, error.field) == ("glute-bridge", "progression")


def test_parser_rejects_a_regression_that_is_not_easier():
    harder = edit("level = 2", 'level = 1\nregression = "glute-bridge"', HARDER)
    assert rejection(VALID + harder).field == "regression"


def test_parser_accepts_a_linked_pair():
    harder = edit("level = 2", 'level = 2\nregression = "glute-bridge"', HARDER)
    library = parse(
        edit("level = 1", 'level = 1\nprogression = "single-leg-glute-bridge"') + harder
    )
    assert library.get("glute-bridge").progression == "single-leg-glute-bridge"


def test_error_message_reads_where_field_why():
    error = rejection(edit('phase = "activate"', 'phase = "relax"'))
    assert str(error).startswith("test.toml glute-bridge: phase: must be one of: inhibit, ")
    assert str(error).endswith("(got 'relax')")


def test_error_names_the_file_and_position_before_the_slug_is_known():
    error = rejection(edit('slug = "glute-bridge"\n', ""))
    assert (error.where, error.field) == ("test.toml exercise 1", "slug")


def test_parser_rejects_a_file_without_exercise_tables():
    with pytest.raises(DataFileError) as caught:
        parse_library({"empty.toml": {}})
    assert (caught.value.where, caught.value.field) == ("empty.toml", "exercise")


def test_load_library_names_a_file_that_is_not_toml(tmp_path):
    (tmp_path / "broken.toml").write_text("[[exercise]\n")
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    assert (caught.value.where, caught.value.field) == ("broken.toml", "toml")


def test_load_library_rejects_a_directory_without_files(tmp_path):
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    assert caught.value.field == "files"


def test_by_phase_rejects_an_unknown_phase(library):
    with pytest.raises(ValueError, match="unknown phase"):
        library.by_phase("relax")
