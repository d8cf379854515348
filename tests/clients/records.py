"""What the client tests read and date alike: a client's status flags, a minor's birth date."""

from datetime import timedelta

from django.utils import timezone

from clients.models import Client
from clients.population import add_years


def status(client_record) -> Client:
    """The client with its status flags (consent, clearance due) read from the database."""
    return Client.objects.with_status().get(pk=client_record.pk)


def born_to_turn_18_tomorrow():
    """17 years and 364 days old today (365 in a leap year's span): still a minor."""
    return add_years(timezone.localdate() + timedelta(days=1), -18)
