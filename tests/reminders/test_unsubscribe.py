"""Every client reminder has a working unsubscribe link: no sign-in, a GET only asks (mail
scanners open links), the POST turns reminders off, and then nothing more is sent."""

import re
from datetime import timedelta

from django.core import signing
from django.test import Client as Browser
from django.urls import reverse

from reminders.access import unsubscribe_token
from reminders.models import ReminderSettings
from tests.factories import ClientFactory
from tests.reminders.reminding import MONDAY, plan, reminded_client, run_daily, sent

EXERCISE_DAY = "exercise days"


def unsubscribe_path(email) -> str:
    """The unsubscribe link's path, as the email's text gives it."""
    return re.search(r"https?://[^/\s]+(/reminders/stop/[^\s]+/)", email.body).group(1)


def wants_reminders(client) -> bool:
    return ReminderSettings.objects.get(client=client).wants_reminders


def test_following_the_unsubscribe_link_turns_reminders_off(worker):
    client = reminded_client(days="0")
    plan(client)
    run_daily(MONDAY)
    [email] = sent(EXERCISE_DAY)
    browser = Browser()  # not signed in

    page = browser.get(unsubscribe_path(email))
    assert page.status_code == 200
    assert "Stop my reminders" in page.text
    assert wants_reminders(client)  # the GET changed nothing

    done = browser.post(unsubscribe_path(email))
    assert done.status_code == 200
    assert "Reminders are off" in done.text
    assert not wants_reminders(client)


def test_after_unsubscribing_the_next_day_sends_nothing(worker):
    client = reminded_client(days="01")
    plan(client)
    run_daily(MONDAY)
    [email] = sent(EXERCISE_DAY)
    Browser().post(unsubscribe_path(email))

    run_daily(MONDAY + timedelta(days=1))

    assert len(sent(EXERCISE_DAY)) == 1


def test_the_link_is_in_the_html_version_and_the_list_unsubscribe_header(worker):
    plan(reminded_client(days="0"))
    run_daily(MONDAY)
    [email] = sent(EXERCISE_DAY)
    [(html, _)] = email.alternatives
    path = unsubscribe_path(email)
    assert f'{path}"' in html
    assert email.extra_headers["List-Unsubscribe"].endswith(f"{path}>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_programs_one_click_post_turns_reminders_off(db):
    client = reminded_client()
    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(client)])
    response = Browser(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not wants_reminders(client)


def test_a_tampered_link_is_not_valid_and_changes_nothing(db):
    client = reminded_client()
    other = ClientFactory()
    token = unsubscribe_token(client)
    tampered = [
        token[:-2] + ("xx" if not token.endswith("xx") else "yy"),  # a broken signature
        signing.dumps({"client": client.pk}, salt="another.purpose"),  # another salt
        token.replace(token.split(":")[0], signing.dumps({"client": other.pk}).split(":")[0]),
        "not-a-token",
    ]
    for bad in tampered:
        response = Browser().post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 404, bad
        assert "This link is not valid" in response.text
    assert wants_reminders(client)


def test_the_link_of_an_erased_client_is_not_valid(db):
    client = reminded_client()
    token = unsubscribe_token(client)
    client.delete()
    response = Browser().get(reverse("reminders:unsubscribe", args=[token]))
    assert response.status_code == 404


def test_the_unsubscribe_page_never_sends_its_address_on(db):
    client = reminded_client()
    response = Browser().get(reverse("reminders:unsubscribe", args=[unsubscribe_token(client)]))
    assert response["Referrer-Policy"] == "no-referrer"
