"""Publishing (programs:publish): the confirmation step, the clearance hold, read-only after."""

import pytest
from django.urls import reverse

from programs import services
from programs.models import ProgramExercise
from programs.views import PUBLISH_CONFIRMATION
from tests.factories import (
    ClearanceFactory,
    forward_head_assessment,
)
from tests.programs import drafts
from tests.programs.drafts import items

CONFIRMED = dict([PUBLISH_CONFIRMATION])  # what the confirmation step posts


@pytest.fixture
def assessment(client_record):
    return forward_head_assessment(client_record)


@pytest.fixture
def waiting_for_clearance(client_record, specialist_user):
    """A draft held by a referral (neck pain during the assessment)."""
    return drafts.waiting_for_clearance(client_record, specialist_user)


# --- Publishing asks first ------------------------------------------------------------------------


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


# --- A draft waiting for a clearance --------------------------------------------------------------


def test_a_version_waiting_for_clearance_offers_no_publish_button_on_the_confirmation_step(
    as_user, specialist_user, waiting_for_clearance
):
    page = as_user(specialist_user).get(
        reverse("programs:publish", args=[waiting_for_clearance.pk])
    )
    assert "cannot be published yet" in page.text
    assert 'name="confirm"' not in page.text


def test_a_program_needing_clearance_cannot_be_published_until_it_is_recorded(
    as_user, specialist_user, assessment
):
    assessment.pain_reports.create(region="neck", score=5)
    version = services.generate_program(assessment, by=specialist_user)
    user = as_user(specialist_user)
    page = user.get(reverse("programs:version", args=[version.pk]))
    assert "Publishing waits for a clearance" in page.text
    user.post(reverse("programs:publish", args=[version.pk]), CONFIRMED)
    version.refresh_from_db()
    assert not version.is_published

    ClearanceFactory(client=assessment.client, cleared_on=assessment.assessed_on)
    user.post(reverse("programs:publish", args=[version.pk]), CONFIRMED)
    version.refresh_from_db()
    assert version.is_published


def test_the_program_page_links_to_the_clearance_form_with_itself_as_next(
    as_user, specialist_user, waiting_for_clearance, client_record
):
    here = reverse("programs:version", args=[waiting_for_clearance.pk])
    page = as_user(specialist_user).get(here)
    clearance = reverse("clients:clearance", args=[client_record.pk])
    assert f'href="{clearance}?next={here.replace("/", "%2F")}"' in page.text


# --- Once published -------------------------------------------------------------------------------


def test_publishing_makes_the_version_read_only(as_user, specialist_user, draft):
    user = as_user(specialist_user)
    user.post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    draft.refresh_from_db()
    assert draft.is_published
    item = items(draft)[0]
    user.post(reverse("programs:item_remove", args=[item.pk]))
    assert ProgramExercise.objects.filter(pk=item.pk).exists()
    response = user.post(reverse("programs:item_edit", args=[item.pk]), {"sets": "3", "reps": "5"})
    assert services.PUBLISHED_IS_READ_ONLY in response.text
    item.refresh_from_db()
    assert item.sets != 3 or item.reps != 5
