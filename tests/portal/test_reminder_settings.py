"""The portal's Reminders page (portal:reminders): the client turns reminders by email on or
off, picks their exercise days and pauses them; bad input is refused at its field."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reminders.forms import NO_DAY, PAUSE_IN_THE_PAST, PAUSE_TOO_LONG, TOO_MANY_DAYS
from reminders.models import ReminderSettings
from tests.factories import ClientFactory, UserFactory

TODAY = timezone.localdate()
URL = reverse("portal:reminders")


def saved(client_record) -> ReminderSettings:
    return ReminderSettings.objects.get(client=client_record)


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_the_portal_home_links_to_the_reminders_page(portal):
    assert f'href="{URL}"' in portal.get(reverse("portal:home")).text


def test_reminders_are_off_until_the_client_turns_them_on(portal, client_record):
    page = portal.get(URL)
    assert page.status_code == 200
    assert "Reminders are <strong>off</strong>" in page.text
    assert not ReminderSettings.objects.exists()  # reading the page saves nothing


def test_the_client_turns_reminders_on_for_their_days(portal, client_record):
    response = portal.post(URL, {"wants_reminders": "on", "exercise_days": ["4", "0", "2"]})
    assert response.status_code == 302
    settings = saved(client_record)
    assert settings.wants_reminders
    assert settings.days == [0, 2, 4]
    assert settings.paused_until is None


def test_the_page_shows_the_saved_choice(portal, client_record):
    ReminderSettings.objects.create(client=client_record, wants_reminders=True, exercise_days="1")
    page = portal.get(URL)
    assert "Reminders are <strong>on</strong>" in page.text
    assert page.context["form"].initial["exercise_days"] == ["1"]


def test_the_client_pauses_reminders_and_clears_the_pause(portal, client_record):
    until = TODAY + timedelta(days=10)
    portal.post(
        URL, {"wants_reminders": "on", "exercise_days": ["1"], "paused_until": until.isoformat()}
    )
    assert saved(client_record).paused_until == until
    portal.post(URL, {"wants_reminders": "on", "exercise_days": ["1"], "paused_until": ""})
    assert saved(client_record).paused_until is None


def test_the_client_turns_reminders_off(portal, client_record):
    ReminderSettings.objects.create(client=client_record, wants_reminders=True, exercise_days="1")
    portal.post(URL, {"exercise_days": ["1"]})
    assert not saved(client_record).wants_reminders


def test_reminders_on_with_no_day_are_refused_at_the_days(portal, client_record):
    response = portal.post(URL, {"wants_reminders": "on"})
    assert response.status_code == 400
    assert field_errors(response, "exercise_days") == [NO_DAY]
    assert NO_DAY in response.text
    assert not ReminderSettings.objects.exists()


def test_a_pause_ending_in_the_past_is_refused_at_its_field(portal, client_record):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = portal.post(
        URL, {"wants_reminders": "on", "exercise_days": ["1"], "paused_until": yesterday}
    )
    assert response.status_code == 400
    assert field_errors(response, "paused_until") == [PAUSE_IN_THE_PAST]


def test_a_pause_longer_than_a_year_is_refused_at_its_field(portal, client_record):
    far = (TODAY + timedelta(days=400)).isoformat()
    response = portal.post(URL, {"exercise_days": ["1"], "paused_until": far})
    assert field_errors(response, "paused_until") == [PAUSE_TOO_LONG]


def test_more_than_seven_days_are_refused(portal, client_record):
    response = portal.post(URL, {"wants_reminders": "on", "exercise_days": list("01234560")})
    assert response.status_code == 400
    assert field_errors(response, "exercise_days") == [TOO_MANY_DAYS]


def test_a_day_that_is_not_a_weekday_is_refused(portal, client_record):
    response = portal.post(URL, {"wants_reminders": "on", "exercise_days": ["7"]})
    assert response.status_code == 400
    assert field_errors(response, "exercise_days")


def test_the_page_changes_only_the_signed_in_clients_settings(portal, client_record):
    other = ClientFactory(specialist=client_record.specialist, user=UserFactory())
    ReminderSettings.objects.create(client=other, wants_reminders=True, exercise_days="1")
    portal.post(URL, {})
    assert ReminderSettings.objects.get(client=other).wants_reminders
    assert not saved(client_record).wants_reminders


def test_an_archived_clients_page_is_not_found(portal, client_record):
    client_record.archived_at = timezone.now()
    client_record.save()
    assert portal.get(URL).status_code == 404
