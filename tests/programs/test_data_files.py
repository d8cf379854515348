"""One strict reader, one error type: every data file kind refuses an unknown key, a wrong
type and a missing field with ``DataFileError`` naming the file and the field path."""

import pytest

from assessments.sources import parse_sources
from core.data_files import DataFileError, Table
from programs.case import parse_case
from programs.illustrations.poses import parse_poses
from programs.library import library_from_records, parse_library
from programs.rules import parse_ruleset
from tests.programs import fakes

# --- one reader per file kind, each fed one valid entry changed by ``edit`` ----------------


def _rules(edit) -> None:
    row = fakes.rule("R-T-01", {"any": ["pain"]}, {"activate": ["gluteus_medius"]})
    edit(row)
    parse_ruleset(fakes.ruleset_docs([row]))


def _library(edit) -> None:
    table = fakes.exercise("glute-bridge", "activate", ["gluteus_maximus"])
    edit(table)
    parse_library({"activate.toml": {"exercise": [table]}})


def _poses(edit) -> None:
    table = {"view": "side", "alt": "Standing tall.", "start": {"trunk": 0}}
    edit(table)
    parse_poses({"activate.toml": {"stand-tall": table}})


def _sources(edit) -> None:
    entry = {"id": "Lau-2009", "citation": "Lau HMC et al. 2009, Man Ther."}
    edit(entry)
    lines = [f"{key} = {_toml(value)}" for key, value in entry.items()]
    parse_sources("[[source]]\n" + "\n".join(lines) + "\n")


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


def _set(key, value):
    return lambda table: table.__setitem__(key, value)


def _drop(key):
    return lambda table: table.pop(key)


def _refusal(read, edit) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        read(edit)
    return caught.value


CASES = [
    # (reader, edit, file, record, field, message): unknown key, wrong type, missing field
    (_rules, _set("colour", "red"), "rules/test.toml", None, "rule[0].colour", "unknown key"),
    (
        _rules,
        _set("rationale", 3),
        "rules/test.toml",
        None,
        "rule[0].rationale",
        "must be a string",
    ),
    (_rules, _drop("rationale"), "rules/test.toml", None, "rule[0].rationale", "is required"),
    (_library, _set("colour", "red"), "activate.toml", "glute-bridge", "colour", "unknown key"),
    (
        _library,
        _set("sets", True),
        "activate.toml",
        "glute-bridge",
        "sets",
        "must be a whole number, not true/false",
    ),
    (_library, _drop("level"), "activate.toml", "glute-bridge", "level", "is required"),
    (_poses, _set("colour", "red"), "activate.toml", "stand-tall", "colour", "unknown key"),
    (
        _poses,
        _set("start", {"trunk": "upright"}),
        "activate.toml",
        "stand-tall",
        "start.trunk (degrees)",
        "must be a number, not a string",
    ),
    (_poses, _drop("alt"), "activate.toml", "stand-tall", "alt", "is required"),
    (_sources, _set("url", "x"), "sources.toml", None, "source[0].url", "unknown key"),
    (
        _sources,
        _set("retrieved", 1),
        "sources.toml",
        None,
        "source[0].retrieved",
        "must be true or false",
    ),
    (_sources, _drop("citation"), "sources.toml", None, "source[0].citation", "is required"),
]


@pytest.mark.parametrize(
    ("read", "edit", "file", "record", "field", "message"),
    CASES,
    ids=[f"{c[0].__name__[1:]}-{i % 3}" for i, c in enumerate(CASES)],
)
def test_each_file_kind_names_file_record_and_field(read, edit, file, record, field, message):
    error = _refusal(read, edit)
    assert (error.file, error.record, error.field) == (file, record, field)
    assert error.message == message
    where = f"{file} {record}" if record else file
    assert str(error) == f"{where}: {field}: {error.message}"


def test_a_stored_exercise_is_named_by_its_slug_alone():
    record = fakes.exercise("glute-bridge", "activate", ["gluteus_maximus"], sets=9)
    with pytest.raises(DataFileError) as caught:
        library_from_records([record])
    assert str(caught.value) == "glute-bridge: sets: expected 1 to 4, got 9"


# --- the case JSON: the same error type, no file, its own contract for unknown keys --------


def _case(**client):
    return {"client": {"sex": "female", "age_years": 34, **client}, "assessed_on": "2026-11-20"}


def test_the_case_refuses_a_wrong_type_with_the_one_error_type():
    with pytest.raises(DataFileError) as caught:
        parse_case(_case(sex=1))
    assert (caught.value.file, caught.value.field) == (None, "client.sex")
    assert str(caught.value) == "client.sex: must be a string"


def test_the_case_refuses_a_missing_field_with_the_one_error_type():
    data = _case()
    del data["client"]["sex"]
    with pytest.raises(DataFileError) as caught:
        parse_case(data)
    assert str(caught.value) == "client.sex: is required"


def test_the_case_ignores_an_unknown_key_with_a_warning_as_its_contract_says():
    parsed = parse_case(_case(colour="red"))
    assert parsed.warnings[0].startswith("client.colour: unknown key ignored")


# --- the reader itself -------------------------------------------------------------------


def test_a_flag_is_never_a_number():
    table = Table({"sets": True}, file="f.toml", field="exercise[0]")
    with pytest.raises(DataFileError, match=r"exercise\[0\]\.sets: must be a whole number, not"):
        table.integer("sets", 1, 4)


def test_a_value_outside_a_closed_set_lists_the_set():
    table = Table({"phase": "relax"}, file="f.toml")
    with pytest.raises(DataFileError) as caught:
        table.choice("phase", ("inhibit", "activate"))
    assert caught.value.message == "must be one of: inhibit, activate (got 'relax')"


def test_an_item_listed_twice_is_named_by_its_index():
    table = Table({"tags": ["floor", "floor"]}, file="f.toml")
    with pytest.raises(DataFileError) as caught:
        table.ids("tags", {"floor"}, "safety tag")
    assert (caught.value.field, caught.value.message) == ("tags[1]", "lists 'floor' twice")
