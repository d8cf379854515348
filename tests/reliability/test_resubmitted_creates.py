"""A create form posted again after a lost response makes nothing twice (issue 12, finding 15).

Each create form carries a one-time token; the second POST with it is led to what the
first one created. Two submissions of the form (two tokens) still make two records.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clients import services
from clients.models import Client, Screening, Submission
from core import submissions
from programs.models import Invitation, ShareLink
from tests.factories import ConsentFactory, published_program

TODAY = timezone.localdate


def token_in(page: str, action: str = "") -> str:
    """The one-time token of the form posting to ``action`` (the page's only one if empty)."""
    if action:
        page = re.search(rf'action="{re.escape(action)}".*?</form>', page, re.S).group(0)
    return re.search(r'name="submission"\s+value="([\w-]+)"', page).group(1)


def new_client_data(token: str) -> dict:
    return {
        "first_name": "Rita",
        "last_name": "Moreno",
        "birth_date": "1980-02-03",
        "sex": "female",
        "submission": token,
    }


def test_a_new_client_posted_twice_is_created_once(as_user, specialist_user):
    http = as_user(specialist_user)
    data = new_client_data(token_in(http.get(reverse("clients:create")).text))
    first = http.post(reverse("clients:create"), data)
    again = http.post(reverse("clients:create"), data, follow=True)
    client = Client.objects.get(last_name="Moreno")
    assert (
        first["Location"]
        == again.redirect_chain[0][0]
        == reverse("clients:detail", args=[client.pk])
    )
    assert submissions.ALREADY_SAVED in again.text


def test_two_submissions_of_the_new_client_form_make_two_clients(as_user, specialist_user):
    http = as_user(specialist_user)
    for _ in range(2):
        token = token_in(http.get(reverse("clients:create")).text)
        http.post(reverse("clients:create"), new_client_data(token))
    assert Client.objects.filter(last_name="Moreno").count() == 2


def test_a_form_shown_again_with_errors_keeps_its_token(as_user, specialist_user):
    http = as_user(specialist_user)
    token = token_in(http.get(reverse("clients:create")).text)
    refused = http.post(reverse("clients:create"), {**new_client_data(token), "first_name": ""})
    assert token_in(refused.text) == token
    http.post(reverse("clients:create"), new_client_data(token))
    http.post(reverse("clients:create"), new_client_data(token))
    assert Client.objects.filter(last_name="Moreno").count() == 1


def test_a_new_assessment_posted_twice_is_created_once(as_user, specialist_user, client_record):
    ConsentFactory(client=client_record)
    http = as_user(specialist_user)
    url = reverse("assessments:create", args=[client_record.pk])
    data = {
        "assessed_on": TODAY().isoformat(),
        "notes": "",
        "submission": token_in(http.get(url).text),
    }
    first = http.post(url, data)
    again = http.post(url, data)
    assessment = Assessment.objects.get(client=client_record)
    assert (
        first["Location"]
        == again["Location"]
        == reverse("assessments:record", args=[assessment.pk])
    )


def test_a_screening_posted_twice_is_recorded_once(as_user, specialist_user, client_record):
    http = as_user(specialist_user)
    url = reverse("clients:screening", args=[client_record.pk])
    data = {"screened_on": TODAY().isoformat(), **{f"q{n}": "False" for n in range(1, 8)}}
    data["submission"] = token_in(http.get(url).text)
    http.post(url, data)
    again = http.post(url, data)
    assert Screening.objects.filter(client=client_record).count() == 1
    assert again["Location"] == reverse("clients:detail", args=[client_record.pk])


def test_a_share_link_posted_twice_is_created_once(as_user, specialist_user, client_record):
    version = published_program(client_record, specialist_user)
    http = as_user(specialist_user)
    action = reverse("programs:share_create", args=[version.pk])
    page = http.get(reverse("programs:version", args=[version.pk])).text
    data = {"days": "7", "submission": token_in(page, action)}
    shown = http.post(action, data)
    again = http.post(action, data, follow=True)
    link = ShareLink.objects.get()
    assert "/p/" in shown.text
    assert again.redirect_chain[0][0] == reverse("programs:version", args=[version.pk]) + (
        "#share-h"
    )
    assert f"already created link #{link.pk}" in again.text


def test_an_invitation_posted_twice_is_sent_once(
    as_user, specialist_user, client_record, django_capture_on_commit_callbacks
):
    http = as_user(specialist_user)
    action = reverse("clients:invite", args=[client_record.pk])
    page = http.get(reverse("clients:detail", args=[client_record.pk])).text
    data = {"submission": token_in(page, action)}
    with django_capture_on_commit_callbacks(execute=True):
        http.post(action, data)
        again = http.post(action, data)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert again["Location"] == reverse("clients:detail", args=[client_record.pk])


def test_a_token_from_another_users_form_creates_normally(as_user, specialist_user, colleague):
    http = as_user(specialist_user)
    data = new_client_data(token_in(http.get(reverse("clients:create")).text))
    http.post(reverse("clients:create"), data)
    as_user(colleague).post(reverse("clients:create"), data)
    assert Client.objects.filter(last_name="Moreno").count() == 2


@pytest.mark.parametrize("token", ["", "short", "<script>" * 4])
def test_a_post_without_a_valid_token_still_creates(as_user, specialist_user, token):
    http = as_user(specialist_user)
    response = http.post(reverse("clients:create"), new_client_data(token))
    assert response.status_code == 302
    assert Client.objects.filter(last_name="Moreno").count() == 1


def test_submission_tokens_go_with_the_erased_client(as_user, specialist_user):
    http = as_user(specialist_user)
    http.post(
        reverse("clients:create"),
        new_client_data(token_in(http.get(reverse("clients:create")).text)),
    )
    assert Submission.objects.count() == 1
    services.erase_client(Client.objects.get(last_name="Moreno"))
    assert Submission.objects.count() == 0
