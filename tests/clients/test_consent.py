"""The consent form (clients:consent), and a minor's guardian consent before an assessment."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clients import guardian
from clients.forms import DEFAULT_CONSENT_TEXT, ConsentForm
from clients.models import Consent
from clients.population import add_years
from tests.clients.records import born_to_turn_18_tomorrow, status
from tests.factories import (
    ClientFactory,
    ConsentFactory,
)

TODAY = timezone.localdate


def start_assessment(http, client_record, on=None):
    return http.post(
        reverse("assessments:create", args=[client_record.pk]),
        {"assessed_on": (on or TODAY()).isoformat(), "notes": ""},
    )


def test_a_client_a_day_short_of_18_needs_a_guardian_s_consent_before_an_assessment(
    as_user, specialist_user
):
    minor = ClientFactory(specialist=specialist_user, birth_date=born_to_turn_18_tomorrow())
    ConsentFactory(client=minor)
    response = start_assessment(as_user(specialist_user), minor)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        guardian.GUARDIAN_CONSENT_REQUIRED.format(first_name=minor.first_name, years=18)
    ]
    assert not Assessment.objects.filter(client=minor).exists()


def test_a_client_18_today_needs_only_their_own_consent(as_user, specialist_user):
    adult = ClientFactory(specialist=specialist_user, birth_date=add_years(TODAY(), -18))
    ConsentFactory(client=adult)
    response = start_assessment(as_user(specialist_user), adult)
    assert response.status_code == 302
    assert Assessment.objects.filter(client=adult).exists()


def test_with_a_guardian_s_consent_the_minor_s_assessment_starts(as_user, specialist_user):
    minor = ClientFactory(specialist=specialist_user, birth_date=born_to_turn_18_tomorrow())
    ConsentFactory(
        client=minor,
        guardian_name="Grace Okafor",
        guardian_relationship="mother",
        guardian_consented_on=TODAY(),
    )
    assert start_assessment(as_user(specialist_user), minor).status_code == 302
    assert Assessment.objects.filter(client=minor).exists()


def test_the_age_on_the_assessment_date_decides(as_user, specialist_user):
    # 18 today, 17 a week ago: a session recorded for last week needs the guardian's consent.
    client_record = ClientFactory(specialist=specialist_user, birth_date=add_years(TODAY(), -18))
    ConsentFactory(client=client_record)
    response = start_assessment(
        as_user(specialist_user), client_record, on=TODAY() - timedelta(days=7)
    )
    assert response.status_code == 200
    assert not Assessment.objects.filter(client=client_record).exists()


def record_consent(http, client_record, **guardian_fields):
    return http.post(
        reverse("clients:consent", args=[client_record.pk]),
        {"consented_on": TODAY().isoformat(), "agreed": "Assessments.", **guardian_fields},
    )


def test_consent_is_recorded_with_what_was_agreed(as_user, specialist_user, client_record):
    as_user(specialist_user).post(
        reverse("clients:consent", args=[client_record.pk]),
        {"consented_on": "2026-11-20", "agreed": "Assessments and photos."},
    )
    consent = client_record.consents.get()
    assert consent.agreed == "Assessments and photos."
    assert consent.recorded_by == specialist_user
    assert status(client_record).has_consent


def test_a_minor_s_consent_needs_the_guardian_s_name_relationship_and_date(
    as_user, specialist_user
):
    minor = ClientFactory(specialist=specialist_user, birth_date=born_to_turn_18_tomorrow())
    response = record_consent(as_user(specialist_user), minor)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"guardian_name", "guardian_relationship", "guardian_consented_on"}
    assert not Consent.objects.filter(client=minor).exists()


def test_a_minor_s_consent_with_the_guardian_is_recorded(as_user, specialist_user):
    minor = ClientFactory(specialist=specialist_user, birth_date=born_to_turn_18_tomorrow())
    response = record_consent(
        as_user(specialist_user),
        minor,
        guardian_name="Grace Okafor",
        guardian_relationship="mother",
        guardian_consented_on=TODAY().isoformat(),
    )
    assert response.status_code == 302
    consent = Consent.objects.get(client=minor)
    assert (consent.guardian_name, consent.guardian_relationship) == ("Grace Okafor", "mother")


def test_an_adult_s_consent_asks_nothing_of_a_guardian(as_user, specialist_user):
    adult = ClientFactory(specialist=specialist_user, birth_date=add_years(TODAY(), -18))
    http = as_user(specialist_user)
    assert "guardian_name" not in http.get(reverse("clients:consent", args=[adult.pk])).text
    assert record_consent(http, adult).status_code == 302


def test_the_consent_date_decides_whether_the_guardian_is_needed(specialist_user):
    # 18 today, but 17 on the consent date entered: the guardian's fields appear, required.
    client_record = ClientFactory(specialist=specialist_user, birth_date=add_years(TODAY(), -18))
    form = ConsentForm(
        {
            "consented_on": (TODAY() - timedelta(days=1)).isoformat(),
            "agreed": "Assessments.",
        },
        instance=Consent(client=client_record),
    )
    assert not form.is_valid()
    assert "guardian_name" in form.errors


def test_the_consent_form_starts_with_the_default_text(as_user, specialist_user, client_record):
    page = as_user(specialist_user).get(reverse("clients:consent", args=[client_record.pk]))
    assert page.context["form"]["agreed"].value() == DEFAULT_CONSENT_TEXT
