"""The program page's small steps: publishing is confirmed on a page that says what the client
will see, a clearance recorded from the program returns to it, and each exercise's "Why" is
one short sentence with its rule ids behind a disclosure."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from clients.models import Clearance
from programs import services
from programs.views import PUBLISH_CONFIRMATION
from programs.why import short_why
from tests.factories import AssessmentFactory, ConsentFactory

CONFIRMED = dict([PUBLISH_CONFIRMATION])


@pytest.fixture
def assessment(client_record):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    return assessment


@pytest.fixture
def draft(assessment, specialist_user):
    return services.generate_program(assessment, by=specialist_user)


@pytest.fixture
def waiting_for_clearance(assessment, specialist_user):
    """A draft held by a referral (neck pain during the assessment)."""
    assessment.pain_reports.create(region="neck", score=5)
    return services.generate_program(assessment, by=specialist_user)


# --- Publishing asks first ---------------------------------------------------------------


def test_the_program_page_leads_to_the_confirmation_step_not_straight_to_publishing(
    as_user, specialist_user, draft
):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    publish = reverse("programs:publish", args=[draft.pk])
    assert f'<a class="btn btn-success" href="{publish}">Publish…</a>' in page.text
    assert f'action="{publish}"' not in page.text


def test_the_confirmation_step_says_what_the_client_will_see_and_publishes_nothing(
    as_user, specialist_user, draft
):
    page = as_user(specialist_user).get(reverse("programs:publish", args=[draft.pk]))

    assert page.status_code == 200
    assert "What Ana will see" in page.text
    first_exercise = draft.phases.first().items.first()
    assert first_exercise.name in page.text
    assert "read-only" in page.text
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_post_without_the_confirmation_publishes_nothing(as_user, specialist_user, draft):
    response = as_user(specialist_user).post(
        reverse("programs:publish", args=[draft.pk]), {"lock_version": draft.lock_version}
    )
    assert response.status_code == 200
    assert "What Ana will see" in response.text
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_confirmation_post_publishes(as_user, specialist_user, draft):
    response = as_user(specialist_user).post(
        reverse("programs:publish", args=[draft.pk]),
        {"lock_version": draft.lock_version, **CONFIRMED},
    )
    assert response["Location"] == reverse("programs:version", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_published


def test_a_version_waiting_for_clearance_offers_no_publish_button_on_the_confirmation_step(
    as_user, specialist_user, waiting_for_clearance
):
    page = as_user(specialist_user).get(
        reverse("programs:publish", args=[waiting_for_clearance.pk])
    )
    assert "cannot be published yet" in page.text
    assert 'name="confirm"' not in page.text


# --- A clearance returns to the program that waited for it --------------------------------


def clearance_form():
    return {"cleared_on": timezone.localdate().isoformat(), "cleared_by": "Dr. Amara Nwosu, GP"}


def test_the_program_page_links_to_the_clearance_form_with_itself_as_next(
    as_user, specialist_user, waiting_for_clearance, client_record
):
    here = reverse("programs:version", args=[waiting_for_clearance.pk])
    page = as_user(specialist_user).get(here)
    clearance = reverse("clients:clearance", args=[client_record.pk])
    assert f'href="{clearance}?next={here.replace("/", "%2F")}"' in page.text


def test_recording_the_clearance_returns_to_the_program_waiting_for_it(
    as_user, specialist_user, waiting_for_clearance, client_record
):
    program = reverse("programs:version", args=[waiting_for_clearance.pk])
    url = reverse("clients:clearance", args=[client_record.pk]) + f"?next={program}"

    response = as_user(specialist_user).post(url, clearance_form())

    assert response.status_code == 302
    assert response["Location"] == program
    assert Clearance.objects.filter(client=client_record).exists()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/programs/1/", "javascript:alert(1)"]
)
def test_a_next_off_this_site_is_ignored(as_user, specialist_user, client_record, elsewhere):
    url = reverse("clients:clearance", args=[client_record.pk])

    response = as_user(specialist_user).post(
        url, clearance_form(), query_params={"next": elsewhere}
    )

    assert response["Location"] == reverse("clients:detail", args=[client_record.pk])


# --- "Why": one short sentence, the rule ids behind a disclosure ---------------------------

ENGINE_WHY = (
    "Releases levator scapulae, upper trapezius, for upper crossed pattern (R-UCS-01); "
    "forward head posture (R-FHP-01); overhead squat: head protrudes forward (R-OHS-HF-01)."
)


def test_the_short_why_keeps_what_the_exercise_does_and_its_first_reason():
    assert short_why(ENGINE_WHY) == (
        "Releases levator scapulae, upper trapezius, for upper crossed pattern and 2 more reasons."
    )


def test_the_short_why_of_an_easier_version_says_so_without_rule_ids():
    text = (
        "Easier version of Jog on the spot, which S-PP-01 leaves out (postpartum impact "
        "before 12 weeks). Activates gluteus medius, for the postpartum stage (R-PP-EARLY-01)."
    )
    assert short_why(text) == "Easier version of Jog on the spot, for the postpartum stage."


def test_a_why_written_by_the_specialist_is_kept_as_it_is():
    assert short_why("Added by the specialist.") == "Added by the specialist."


def test_every_why_on_the_page_is_one_sentence_without_rule_ids(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    lines = re.findall(r"<strong>Why:</strong> (.*?)</div>", page.text)
    assert lines
    for line in lines:
        assert not re.search(r"\b[A-Z]+-[A-Z0-9]+-\d+\b", line), line
        assert ". " not in line, line
        assert line.endswith("."), line


def test_the_rule_ids_are_behind_a_disclosure(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    disclosures = re.findall(r'<details class="small why-details">(.*?)</details>', page.text, re.S)
    assert disclosures
    assert any("R-FHP-01" in disclosure for disclosure in disclosures)
