"""photo_angles: landmarks JSON in, angles JSON out; invalid input is one line and exit 2."""

import io
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

ROOT = settings.BASE_DIR
EXAMPLE = {
    "view": "side",
    "facing": "left",
    "image": {"width": 3024, "height": 4032},
    "landmarks": {
        "tragus": [1210.5, 860.0],
        "c7": [1390.0, 1105.0],
        "lateral_malleolus": [1300.0, 3860.0],
    },
}


def manage(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "photo_angles", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def write(tmp_path, content) -> str:
    path = tmp_path / "landmarks.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return str(path)


def angles_of(path: str) -> str:
    out = io.StringIO()
    call_command("photo_angles", "--input", path, stdout=out)
    return out.getvalue()


def refusal(*args: str, stdin: bytes | None = None) -> str:
    """The one stderr line of a refused run (exit 2, nothing on stdout)."""
    result = manage(*args, stdin=stdin)
    assert (result.returncode, result.stdout) == (2, b"")
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_the_contracts_example_prints_its_cva_and_plumb_offsets(tmp_path):
    output = json.loads(angles_of(write(tmp_path, EXAMPLE)))
    assert output["view"] == "side"
    assert [(a["code"], a["value_deg"]) for a in output["angles"]] == [("cva", 53.8)]
    # Facing left, the tragus 89.5 px forward of the malleolus over 3000 px: 2.98 %.
    assert [(p["landmark"], p["offset_pct"]) for p in output["plumb"]] == [
        ("tragus", 3.0),
        ("c7", -3.0),
    ]
    assert output["not_measured"] == []


def test_the_output_is_indented_json_in_the_contracts_key_order_ending_in_one_newline(tmp_path):
    text = angles_of(write(tmp_path, EXAMPLE))
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert list(json.loads(text)) == ["view", "angles", "levels", "plumb", "not_measured"]


def test_the_same_input_gives_byte_identical_output_from_a_file_and_from_stdin(tmp_path):
    path = write(tmp_path, EXAMPLE)
    first, second = manage("--input", path), manage("--input", path)
    piped = manage("--input", "-", stdin=json.dumps(EXAMPLE).encode())
    assert first.returncode == second.returncode == piped.returncode == 0
    assert first.stdout == second.stdout == piped.stdout
    assert (first.stderr, piped.stderr) == (b"", b"")
    assert json.loads(first.stdout)["angles"][0]["value_deg"] == 53.8


def test_a_landmark_outside_the_image_is_exit_2_naming_it(tmp_path):
    document = EXAMPLE | {"landmarks": {"c7": [3025, 1105.0]}}
    line = refusal("--input", write(tmp_path, document))
    assert "landmarks.c7: x must be inside the image" in line


def test_an_invalid_field_read_from_stdin_is_exit_2_naming_it():
    document = EXAMPLE | {"image": {"width": 0, "height": 4032}}
    assert "image.width:" in refusal("--input", "-", stdin=json.dumps(document).encode())


def test_a_missing_file_is_exit_2(tmp_path):
    assert "input: cannot read" in refusal("--input", str(tmp_path / "absent.json"))


def test_text_that_is_not_utf8_is_exit_2():
    assert "input: not UTF-8 text" in refusal("--input", "-", stdin=b'{"view": "\xff"}')


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "input: not valid JSON (line 1, column 2"),
        (b"[1, 2]", "input: must be a JSON object"),
        (
            b'{"view": "side", "facing": "left", "image": {"width": 10, "height": 10},'
            b' "landmarks": {"c7": [NaN, 1]}}',
            "landmarks.c7: x must be a finite number",
        ),
        (
            b'{"view": "front", "image": {"width": 10, "height": 10},'
            b' "landmarks": {"tragus": [1, 1]}}',
            "landmarks.tragus: is not a landmark of a front",
        ),
        (b"[" * 100_000, "input: JSON that cannot be read"),
    ],
)
def test_invalid_input_raises_a_command_error_with_status_2(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        angles_of(write(tmp_path, content))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_stdin_given_as_text_is_read_too(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(EXAMPLE)))
    out = io.StringIO()
    call_command("photo_angles", "--input", "-", stdout=out)
    assert json.loads(out.getvalue())["angles"][0]["value_deg"] == 53.8
