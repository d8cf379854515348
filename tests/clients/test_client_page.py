"""The client page (clients:detail): its panels, the reads behind them, and reassignment."""

import base64
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.measures import MEASURES
from assessments.models import PelvicTilt, TechNeck
from assessments.progress import SCREEN_CHART_WIDTH
from clients import selectors, services
from programs.models import Invitation
from tests.clients.records import born_to_turn_18_tomorrow
from tests.factories import (
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    InvitationFactory,
    ScreeningFactory,
    SessionLogFactory,
    UserFactory,
)
from tests.page_charts import chart_svg
from tests.steps import acknowledge, log


def test_a_client_with_no_program_has_its_latest_invitation_read_on_its_own(
    client_record, specialist_user
):
    InvitationFactory(client=client_record)
    latest = InvitationFactory(client=client_record)

    programs = selectors.client_programs(client_record, today=timezone.localdate())

    assert (programs.versions, programs.current) == ([], None)
    assert programs.invitation == latest
    assert programs.adherence == selectors.Adherence()


def test_the_current_plan_needs_attention_after_two_quiet_weeks(client_record, published):
    later = published.published_at.date() + timedelta(weeks=3)

    programs = selectors.client_programs(client_record, today=later)

    assert programs.current == published
    assert programs.adherence.attention == ["no session logged for 3 weeks"]


def test_the_latest_notes_are_the_newest_five_sessions(client_record, published):
    today = timezone.localdate()
    logs = [SessionLogFactory(version=published, done_on=today, note=f"n{i}") for i in range(7)]

    recent = selectors.client_programs(client_record, today=today).adherence.recent_sessions

    assert [log.pk for log in recent] == [log.pk for log in reversed(logs)][:5]


def test_the_record_shows_the_newest_screening_first(client_record):
    today = timezone.localdate()
    ScreeningFactory(client=client_record, screened_on=today - timedelta(days=30))
    newest = ScreeningFactory(client=client_record, screened_on=today)

    record = selectors.client_record(client_record, today=today)

    assert record.latest_screening == newest


def test_a_client_goes_only_to_a_member_of_its_practice(client_record):
    with pytest.raises(ValidationError) as refused:
        services.reassign_client(client_record, to=UserFactory())
    assert refused.value.messages == [services.NOT_A_MEMBER]


# --- Assessments and key measures -----------------------------------------------------------------


def test_client_page_lists_assessments_with_a_progress_chart(as_user, specialist_user, consented):
    for day, cva in ((date(2026, 9, 1), 44), (date(2026, 11, 1), 47)):
        TechNeck.objects.create(
            assessment=AssessmentFactory(client=consented, assessed_on=day), cva_deg=cva
        )
    response = as_user(specialist_user).get(reverse("clients:detail", args=[consented.pk]))
    assert "1 Sep 2026" in response.text
    svg = chart_svg(response, "Craniovertebral angle")
    assert "<svg" in svg
    assert "47" in svg


CHART = re.compile(
    r'<img class="border rounded" width="(\d+)" height="(\d+)" '
    r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"'
)


CVA = MEASURES["cva_deg"].label


# The narrowest column a chart is drawn in on a 390 px phone: the client page's card.
# screen - container gutters - card padding - the chart's border and padding
PHONE_COLUMN_PX = 390 - 2 * 12 - 2 * 16 - 2 - 2 * 8


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


# --- Programs, the portal invitation and adherence ------------------------------------------------


TODAY = timezone.localdate()


def test_client_page_lists_the_program(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("clients:detail", args=[draft.program.client.pk]))
    assert reverse("programs:version", args=[draft.pk]) in page.text


def test_client_page_with_a_program_offers_send_again_for_a_failed_invitation(
    as_user, specialist_user, draft
):
    client = draft.program.client
    older = InvitationFactory(client=client, status=Invitation.Status.SENT)
    Invitation.objects.filter(pk=older.pk).update(created_at=older.created_at - timedelta(days=2))
    latest = InvitationFactory(client=client, status=Invitation.Status.NOT_SENT)
    page = as_user(specialist_user).get(reverse("clients:detail", args=[client.pk])).text
    assert f"Portal invitation of {timezone.localtime(latest.created_at):%-d %b %Y %H:%M}" in page
    assert "not sent" in page
    assert "Send again" in page


def test_client_page_reads_the_latest_invitation_with_the_programs(as_user, specialist_user, draft):
    client = draft.program.client
    InvitationFactory(client=client)
    user = as_user(specialist_user)
    with CaptureQueriesContext(connection) as captured:
        user.get(reverse("clients:detail", args=[client.pk]))
    reading = [q["sql"] for q in captured.captured_queries if "programs_invitation" in q["sql"]]
    assert len(reading) == 1
    assert reading[0].startswith('SELECT "programs_programversion"')


def test_the_specialist_sees_adherence_and_the_pain_rating(as_user, specialist_user, published):
    SessionLogFactory(version=published, done_on=TODAY, pain=6, note="Knee ached")
    page = as_user(specialist_user).get(
        reverse("clients:detail", args=[published.program.client.pk])
    )
    assert "Adherence to the current plan" in page.text
    assert "pain 6/10" in page.text
    assert "Knee ached" in page.text
    assert "Needs attention: pain rated 6/10" in page.text


def test_an_acknowledged_pain_rating_no_longer_flags_the_client_page(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    page = reverse("clients:detail", args=[published.program.client.pk])
    assert "pain rated 7/10" in specialist.get(page).text
    acknowledge(specialist, published, "Called Ana: rows paused")
    assert "pain rated 7/10" not in specialist.get(page).text


# --- Consent --------------------------------------------------------------------------------------


def test_the_client_page_says_a_guardian_s_consent_is_missing(as_user, specialist_user):
    minor = ClientFactory(specialist=specialist_user, birth_date=born_to_turn_18_tomorrow())
    ConsentFactory(client=minor)
    page = as_user(specialist_user).get(reverse("clients:detail", args=[minor.pk]))
    assert "parent or guardian" in page.text
