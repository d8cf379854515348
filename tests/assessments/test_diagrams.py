import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assessments.diagrams import DIAGRAMS, diagram_for
from assessments.measures import MEASURES

STATIC_ROOT = Path(__file__).resolve().parents[2] / "config" / "static"
SVG_NS = "{http://www.w3.org/2000/svg}"
DIAGRAM_FILES = sorted(set(DIAGRAMS.values()))
ALL_SVG_FILES = sorted((STATIC_ROOT / "img" / "measures").glob("*.svg"))


def test_every_measure_has_a_diagram():
    assert set(MEASURES) <= set(DIAGRAMS)
    assert all(diagram_for(key) == DIAGRAMS[key] for key in MEASURES)


def test_no_diagram_for_an_unknown_measure():
    assert set(DIAGRAMS) <= set(MEASURES)
    assert diagram_for("no.such_measure") is None


def test_shared_diagrams():
    assert diagram_for("pelvic_tilt_left_deg") == diagram_for("pelvic_tilt_right_deg")
    ird = {diagram_for(key) for key in MEASURES if key.startswith("postpartum.ird_")}
    assert len(ird) == 1


@pytest.mark.parametrize("path", DIAGRAM_FILES)
def test_mapped_file_exists(path):
    assert path.startswith("img/measures/")
    assert path.endswith(".svg")
    assert (STATIC_ROOT / path).is_file()


def test_every_svg_in_the_folder_is_used():
    assert {f"img/measures/{svg.name}" for svg in ALL_SVG_FILES} == set(DIAGRAM_FILES)


@pytest.mark.parametrize("svg", ALL_SVG_FILES, ids=lambda p: p.name)
def test_svg_is_valid_and_titled(svg):
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox")
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    assert (title.text or "").strip()


@pytest.mark.parametrize("svg", ALL_SVG_FILES, ids=lambda p: p.name)
def test_svg_has_no_script_handlers_or_external_references(svg):
    text = svg.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r"""(?:xlink:)?href\s*=\s*["']\s*(?:https?:)?//""", text, re.I)
    assert "url(http" not in text.lower()
    for element in ET.parse(svg).getroot().iter():
        assert not element.tag.endswith("script")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), f"event handler {name} on {element.tag}"
            if local == "href":
                assert value.startswith("#"), f"external reference {value}"
