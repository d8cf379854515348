"""The client's reminder settings are part of their record: exported with it, erased with it."""

import io
import json
import zipfile

from django.urls import reverse

from clients.services import erase_client
from reminders.models import ReminderSettings
from tests.reminders.reminding import MONDAY, reminded_client


def test_the_export_holds_the_reminder_settings(as_user, specialist_user):
    client = reminded_client(days="024", paused_until=MONDAY, specialist=specialist_user)
    response = as_user(specialist_user).get(reverse("clients:export", args=[client.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    [row] = json.loads(archive.read("records/reminders.remindersettings.json"))
    assert row["fields"]["wants_reminders"] is True
    assert row["fields"]["exercise_days"] == "024"
    assert row["fields"]["paused_until"] == MONDAY.isoformat()


def test_erasing_the_client_erases_their_reminder_settings(db):
    client = reminded_client()
    erase_client(client)
    assert not ReminderSettings.objects.exists()
