"""What makes pages paint early and print well: deferred scripts, compressed HTML, sized
diagrams, and a print stylesheet that keeps the program's cues and drops its controls."""

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import forward_head_assessment

STATIC = Path(settings.BASE_DIR) / "config" / "static"


@pytest.fixture
def assessment(client_record):
    return forward_head_assessment(client_record)


def test_every_script_is_deferred(as_user, specialist_user, client_record):
    page = as_user(specialist_user).get(reverse("clients:detail", args=[client_record.pk]))
    scripts = re.findall(r"<script\b[^>]*>", page.text)
    assert scripts
    assert [tag for tag in scripts if " defer" not in tag] == []


def test_pages_are_sent_gzipped_to_a_browser_that_accepts_it(as_user, specialist_user):
    response = as_user(specialist_user).get(
        reverse("clients:list"), headers={"accept-encoding": "gzip, br"}
    )
    assert response["Content-Encoding"] == "gzip"
    assert b"<h1" in gzip.decompress(response.content)


def test_how_to_measure_diagrams_reserve_their_size(as_user, specialist_user, assessment):
    page = as_user(specialist_user).get(reverse("assessments:record", args=[assessment.pk]))
    diagrams = re.findall(r'<img class="measure-diagram[^>]*>', page.text)
    assert diagrams
    for tag in diagrams:
        source = re.search(r'src="/static/([^"]+)"', tag).group(1)
        drawing = ET.parse(finders.find(source)).getroot()
        assert f'width="{drawing.get("width")}"' in tag, tag
        assert f'height="{drawing.get("height")}"' in tag, tag


def test_pages_link_a_print_stylesheet(as_user, specialist_user, published):
    page = as_user(specialist_user).get(reverse("programs:version", args=[published.pk]))
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', page.text)


def test_the_print_stylesheet_drops_navigation_and_buttons_and_shows_the_cues():
    css = re.sub(r"/\*.*?\*/", "", (STATIC / "css" / "print.css").read_text(), flags=re.S)
    hidden = re.search(r"([^{}]+)\{\s*display:\s*none", css).group(1)
    assert {".navbar", ".btn", ".breadcrumb"} <= {s.strip() for s in hidden.split(",")}
    assert re.search(r"details\.cues::details-content\s*\{[^}]*content-visibility:\s*visible", css)


def test_the_program_page_marks_its_controls_and_sharing_panel_not_for_print(
    as_user, specialist_user, published
):
    page = as_user(specialist_user).get(reverse("programs:version", args=[published.pk]))
    assert '<section class="card mt-4 d-print-none" aria-labelledby="share-h">' in page.text
    assert '<details class="small mt-1 cues">' in page.text
