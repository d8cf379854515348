"""The specialist acknowledges a client's pain rating (programs:acknowledge_pain)."""

from clients.services import erase_client
from programs.models import PainAcknowledgement
from tests.steps import acknowledge, log


def test_an_acknowledgement_without_a_note_is_refused_at_its_field(
    portal, published, as_user, specialist_user
):
    log(portal, published, 7)
    specialist = as_user(specialist_user)
    response = acknowledge(specialist, published, "")
    assert response.status_code == 400
    assert "Write what you did about it" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not PainAcknowledgement.objects.exists()


def test_a_colleague_cannot_acknowledge_another_specialists_client(
    portal, published, as_user, colleague
):
    log(portal, published, 7)
    assert acknowledge(as_user(colleague), published, "Seen").status_code == 404
    assert not PainAcknowledgement.objects.exists()


def test_erasing_the_client_erases_the_acknowledgement_and_its_history(
    portal, published, as_user, specialist_user, client_record
):
    log(portal, published, 7)
    acknowledge(as_user(specialist_user), published, "Called Ana")
    erase_client(client_record)
    assert not PainAcknowledgement.objects.exists()
    assert not PainAcknowledgement.history.exists()
