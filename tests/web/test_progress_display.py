"""The client page's key measures: a chart for a measure taken twice or more, a compact table
row for one taken once, and charts whose text stays readable on a phone."""

import base64
import re
from datetime import date

import pytest
from django.urls import reverse

from assessments.measures import MEASURES
from assessments.models import PelvicTilt, TechNeck
from assessments.progress import SCREEN_CHART_WIDTH
from tests.factories import AssessmentFactory, ConsentFactory

CHART = re.compile(
    r'<img class="border rounded" width="(\d+)" height="(\d+)" '
    r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"'
)
CVA = MEASURES["cva_deg"].label
# The narrowest column a chart is drawn in on a 390 px phone: the client page's card.
# screen - container gutters - card padding - the chart's border and padding
PHONE_COLUMN_PX = 390 - 2 * 12 - 2 * 16 - 2 - 2 * 8


@pytest.fixture
def consented(client_record):
    ConsentFactory(client=client_record)
    return client_record


def assess(client, day, *, cva=None, tilt=None):
    assessment = AssessmentFactory(client=client, assessed_on=day)
    if cva is not None:
        TechNeck.objects.create(assessment=assessment, cva_deg=cva)
    if tilt is not None:
        PelvicTilt.objects.create(
            assessment=assessment, pelvic_tilt_left_deg=tilt, pelvic_tilt_right_deg=tilt
        )
    return assessment


def client_page(as_user, user, client):
    return as_user(user).get(reverse("clients:detail", args=[client.pk])).text


def charts(text):
    return {
        alt.split(" over time")[0]: (width, height, svg)
        for width, height, svg, alt in CHART.findall(text)
    }


def single_rows(text):
    table = re.search(r'<table class="table table-sm progress-single.*?</table>', text, re.S)
    return re.findall(r"<tr><td>([^<]+)</td>", table.group(0)) if table else []


def test_a_measure_taken_once_is_a_table_row_not_a_chart(as_user, specialist_user, consented):
    assess(consented, date(2026, 3, 2), cva=44)

    text = client_page(as_user, specialist_user, consented)

    assert charts(text) == {}
    assert single_rows(text) == [CVA]
    assert "2 Mar 2026" in text


def test_a_measure_taken_twice_is_a_chart_and_leaves_the_table(as_user, specialist_user, consented):
    assess(consented, date(2026, 3, 2), cva=44, tilt=12)
    assess(consented, date(2026, 5, 4), cva=47)

    text = client_page(as_user, specialist_user, consented)

    assert list(charts(text)) == [CVA]
    assert CVA not in single_rows(text)
    assert len(single_rows(text)) == 2  # pelvic tilt, left and right, each taken once


def test_a_page_chart_scales_from_its_view_box_and_keeps_its_text_at_12_px_on_a_phone(
    as_user, specialist_user, consented
):
    assess(consented, date(2026, 3, 2), cva=44)
    assess(consented, date(2026, 5, 4), cva=47)

    width, height, encoded = charts(client_page(as_user, specialist_user, consented))[CVA]
    svg = base64.b64decode(encoded).decode()

    assert f'viewBox="0 0 {width} {height}"' in svg
    sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
    assert sizes
    assert int(width) == SCREEN_CHART_WIDTH
    assert min(sizes) * PHONE_COLUMN_PX / int(width) >= 12
