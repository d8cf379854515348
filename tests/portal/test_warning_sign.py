"""A warning sign the client ticks with a session (chest pain, fainting, sudden severe
pain, numbness): urgent care advice first, the specialist's attention list, and the
acknowledgement that clears it (issue 19)."""

from django.urls import reverse
from django.utils import timezone

from programs import selectors, services
from programs.adherence import RED_FLAG_REASON
from programs.client_plan import PAIN_ADVICE, RED_FLAG_SIGNS
from tests.steps import log


def test_the_session_form_asks_about_the_warning_signs(portal, published):
    page = portal.get(reverse("portal:home")).text
    assert RED_FLAG_SIGNS in page


def test_a_warning_sign_is_answered_with_urgent_care_first(portal, published):
    response = log(portal, published, None, red_flag=True)
    page = portal.get(response["Location"])
    assert page.context["advice"]["lines"][0] == PAIN_ADVICE[-1]
    assert "You noted a warning sign" in page.text


def test_a_warning_sign_puts_the_client_on_the_attention_list(portal, published, specialist_user):
    log(portal, published, 1, red_flag=True)
    [listed] = selectors.attention(specialist_user, today=timezone.localdate())
    assert listed.reasons[0] == RED_FLAG_REASON
    assert listed.acknowledge_what == "the warning sign"


def test_acknowledging_the_warning_sign_takes_the_client_off_the_list(
    portal, published, specialist_user
):
    log(portal, published, 1, red_flag=True)
    assert services.acknowledge_pain(published, by=specialist_user, note="Called her") == 1
    assert selectors.attention(specialist_user, today=timezone.localdate()) == []


def test_the_client_page_names_the_warning_sign(as_user, portal, published, specialist_user):
    log(portal, published, None, red_flag=True)
    page = as_user(specialist_user).get(
        reverse("clients:detail", args=[published.program.client.pk])
    )
    assert RED_FLAG_REASON in page.text
