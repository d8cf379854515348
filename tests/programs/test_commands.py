"""suggest_program: a case file in, the draft JSON out; bad input is exit 2 and writes nothing."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.measures import range_error
from programs.models import Program, ProgramVersion, RulesetVersion

ROOT = Path(settings.BASE_DIR)
EXAMPLES = ROOT / "programs" / "data" / "examples"
CASES = ROOT / "tests" / "cases"
GOLDEN_EXAMPLES = [
    "adult_tech_neck",
    "senior_fall_risk",
    "postpartum_6_weeks_diastasis",
    "youth_circa_phv",
]
CVA_OUT_OF_RANGE = f"measures.cva_deg: {range_error('cva_deg', 200)}"


def golden(name: str) -> dict:
    return json.loads((CASES / f"{name}.json").read_text())


def suggest(path) -> str:
    out = io.StringIO()
    call_command("suggest_program", "--input", str(path), stdout=out)
    return out.getvalue()


def written_rows() -> tuple[int, int, int]:
    return Program.objects.count(), ProgramVersion.objects.count(), RulesetVersion.objects.count()


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory) -> dict[str, str]:
    """The environment of a process using a new SQLite database, migrated and nothing more."""
    path = tmp_path_factory.mktemp("fresh") / "realign.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- The examples the README shows -----------------------------------------------------------


def test_every_example_is_the_input_of_its_golden_case():
    for name in GOLDEN_EXAMPLES:
        assert json.loads((EXAMPLES / f"{name}.json").read_text()) == golden(name)["input"]


@pytest.mark.parametrize("name", GOLDEN_EXAMPLES)
def test_each_example_prints_its_golden_draft(db, name):
    output = suggest(EXAMPLES / f"{name}.json")
    assert json.loads(output) == golden(name)["expected"]


def test_the_invalid_example_differs_from_the_tech_neck_case_only_in_its_cva():
    invalid = json.loads((EXAMPLES / "invalid_cva.json").read_text())
    valid = golden("adult_tech_neck")["input"]
    assert invalid["measures"].pop("cva_deg") == 200
    valid["measures"].pop("cva_deg")
    assert invalid == valid


# --- As a real process -----------------------------------------------------------------------


def test_it_works_on_a_freshly_migrated_database(fresh_database):
    result = manage(
        fresh_database,
        "suggest_program",
        "--input",
        "programs/data/examples/adult_tech_neck.json",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == golden("adult_tech_neck")["expected"]


def test_a_dash_reads_the_case_from_standard_input(fresh_database):
    case = (EXAMPLES / "senior_fall_risk.json").read_text()
    result = manage(fresh_database, "suggest_program", "--input", "-", stdin=case)
    assert result.returncode == 0
    assert json.loads(result.stdout) == golden("senior_fall_risk")["expected"]


def test_an_invalid_case_exits_2_with_one_line_naming_the_field(fresh_database):
    result = manage(
        fresh_database, "suggest_program", "--input", "programs/data/examples/invalid_cva.json"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"CommandError: {CVA_OUT_OF_RANGE}"]


# --- Bad input, in process -------------------------------------------------------------------


def test_an_invalid_case_is_refused_naming_the_field(db):
    with pytest.raises(CommandError) as refused:
        suggest(EXAMPLES / "invalid_cva.json")
    assert refused.value.returncode == 2
    assert str(refused.value) == CVA_OUT_OF_RANGE


def test_an_invalid_case_writes_nothing(db):
    before = written_rows()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("suggest_program", "--input", str(EXAMPLES / "invalid_cva.json"), stdout=out)
    assert out.getvalue() == ""
    assert written_rows() == before


def test_a_valid_case_writes_no_program_either(db):
    before = written_rows()
    suggest(EXAMPLES / "adult_tech_neck.json")
    assert written_rows() == before


def test_malformed_json_is_refused(db, tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{"client": {"age_years": 34,}')
    with pytest.raises(CommandError) as refused:
        suggest(path)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("input: not valid JSON (line 1, column 28: ")


def test_a_missing_file_is_refused(db, tmp_path):
    path = tmp_path / "nowhere.json"
    with pytest.raises(CommandError) as refused:
        suggest(path)
    assert refused.value.returncode == 2
    assert str(refused.value) == f"input: cannot read {path}: No such file or directory"


def write_case(tmp_path, data: dict):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return path


def tech_neck_with(**measures) -> dict:
    data = golden("adult_tech_neck")["input"]
    data["measures"].update(measures)
    return data


@pytest.mark.parametrize("region", ["cervical", "banana"])
def test_a_pain_region_outside_the_vocabulary_exits_2_naming_the_field(db, tmp_path, region):
    path = write_case(tmp_path, tech_neck_with(pain=[{"region": region, "score": 4}]))
    with pytest.raises(CommandError) as refused:
        suggest(path)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("measures.pain[0].region: must be one of: head, neck")


def test_a_growth_pain_region_outside_the_vocabulary_exits_2_naming_the_field(db, tmp_path):
    path = write_case(tmp_path, tech_neck_with(youth={"growth_pain": ["shin"]}))
    with pytest.raises(CommandError) as refused:
        suggest(path)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("measures.youth.growth_pain[0]: must be one of")


def test_an_assessment_date_after_today_exits_2_naming_the_field(db, tmp_path):
    data = golden("adult_tech_neck")["input"]
    data["assessed_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError) as refused:
        suggest(write_case(tmp_path, data))
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("assessed_on: must not be in the future")


def test_an_assessment_dated_today_is_accepted(db, tmp_path):
    data = golden("adult_tech_neck")["input"]
    data["assessed_on"] = timezone.localdate().isoformat()
    assert json.loads(suggest(write_case(tmp_path, data)))["population"] == "adult"


def test_an_unknown_key_is_ignored_with_a_warning_on_standard_error(db, tmp_path):
    path = write_case(tmp_path, tech_neck_with(cva_degs=40.0))
    out, err = io.StringIO(), io.StringIO()
    call_command("suggest_program", "--input", str(path), stdout=out, stderr=err)
    assert json.loads(out.getvalue()) == json.loads(suggest(EXAMPLES / "adult_tech_neck.json"))
    assert err.getvalue().splitlines() == [
        "warning: measures.cva_degs: unknown key ignored (expected one of: "
        + ", ".join(
            (
                "cva_deg",
                "wall_distance_cm",
                "screen_hours_per_day",
                "pelvic_tilt_left_deg",
                "pelvic_tilt_right_deg",
                "posture",
                "ohs",
                "gait",
                "senior",
                "postpartum",
                "youth",
                "pain",
            )
        )
        + ")"
    ]
