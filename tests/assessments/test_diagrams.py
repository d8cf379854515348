import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assessments.measures import MEASURES

STATIC_ROOT = Path(__file__).resolve().parents[2] / "config" / "static"
SVG_NS = "{http://www.w3.org/2000/svg}"
DIAGRAM_FILES = sorted({spec.diagram for spec in MEASURES.values() if spec.diagram})
ALL_SVG_FILES = sorted((STATIC_ROOT / "img" / "measures").glob("*.svg"))


def test_every_measure_has_a_diagram():
    assert all(spec.diagram for spec in MEASURES.values())


def test_shared_diagrams():
    assert MEASURES["pelvic_tilt_left_deg"].diagram == MEASURES["pelvic_tilt_right_deg"].diagram
    ird = {spec.diagram for key, spec in MEASURES.items() if key.startswith("postpartum.ird_")}
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
