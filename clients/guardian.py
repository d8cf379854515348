"""Consent for minors: a client under 18 needs a parent or guardian's consent as well.

The age that counts is the client's age on the day in question: the consent date when the
consent is recorded, the assessment date when an assessment is started. Adults need only
their own consent, as before.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .population import YOUTH_UNDER_YEARS, age_on

# A consent record that holds the parent or guardian's consent: name, relationship, date.
GIVEN_BY_GUARDIAN = (
    ~Q(guardian_name="") & ~Q(guardian_relationship="") & Q(guardian_consented_on__isnull=False)
)

GUARDIAN_CONSENT_REQUIRED = (
    "{first_name} is under {years}: record a parent or guardian's consent (their name, "
    "relationship to {first_name} and the date) before an assessment."
)
GUARDIAN_FIELD_REQUIRED = (
    "The client is under {years} on the consent date: a parent or guardian's consent is "
    "needed, with this field."
)


def is_minor_on(birth_date: date, on: date) -> bool:
    """Under 18 on that day (the youth population's bound, clients/population.py)."""
    return age_on(birth_date, on) < YOUTH_UNDER_YEARS


def guardian_consent_missing(client, on: date) -> str | None:
    """Why an assessment on ``on`` must wait for a guardian's consent, or None if it need not."""
    if not is_minor_on(client.birth_date, on):
        return None
    if client.consents.filter(GIVEN_BY_GUARDIAN).exists():
        return None
    return GUARDIAN_CONSENT_REQUIRED.format(first_name=client.first_name, years=YOUTH_UNDER_YEARS)
