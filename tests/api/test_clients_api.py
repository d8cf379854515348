"""/api/v1/clients/: the client list and record through the pages' door and services."""

from django.urls import reverse

from clients.models import Client
from tests.factories import ClientFactory


def test_without_a_token_the_api_answers_401_in_json(client, db):
    response = client.get(reverse("api:client-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_a_wrong_token_is_401(client, db):
    response = client.get(reverse("api:client-list"), HTTP_AUTHORIZATION="Bearer rlg_nope")
    assert response.status_code == 401


def test_the_list_holds_only_the_specialists_own_clients(api, client_record, colleague):
    ClientFactory(specialist=colleague, practice=colleague.practice)
    body = api.get(reverse("api:client-list")).json()
    assert [row["id"] for row in body["results"]] == [client_record.pk]
    assert body["count"] == 1


def test_the_list_searches_names(api, client_record, specialist_user):
    ClientFactory(specialist=specialist_user, practice=specialist_user.practice, first_name="Zed")
    body = api.get(reverse("api:client-list"), {"search": "zed"}).json()
    assert [row["first_name"] for row in body["results"]] == ["Zed"]


def test_another_practices_client_is_404(api, outsider):
    other = ClientFactory(specialist=outsider, practice=outsider.practice)
    assert api.get(reverse("api:client-detail", args=[other.pk])).status_code == 404


def test_a_client_is_created_by_the_pages_service(api, specialist_user):
    response = api.post(
        reverse("api:client-list"),
        {"first_name": "Ana", "last_name": "Lima", "birth_date": "1990-05-17", "sex": "female"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = Client.objects.get(pk=response.json()["id"])
    assert (created.specialist, created.practice) == (specialist_user, specialist_user.practice)
    assert created.history.first().history_user == specialist_user  # audited like a page


def test_bad_input_is_refused_naming_the_field_as_the_page_does(api):
    response = api.post(
        reverse("api:client-list"),
        {"first_name": "Ana", "last_name": "Lima", "birth_date": "2999-01-01", "sex": "female"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["birth_date"]


def test_a_partial_update_keeps_the_other_values(api, client_record):
    response = api.patch(
        reverse("api:client-detail", args=[client_record.pk]),
        {"goals": "Run a 10k"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    client_record.refresh_from_db()
    assert client_record.goals == "Run a 10k"
    assert client_record.first_name == response.json()["first_name"]


def test_archive_hides_the_client_from_the_list(api, client_record):
    response = api.post(reverse("api:client-archive", args=[client_record.pk]))
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert api.get(reverse("api:client-list")).json()["count"] == 0


def test_the_schema_describes_the_clients_and_the_token(client, db):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/clients/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_a_screening_is_recorded_and_says_when_clearance_is_recommended(api, client_record):
    answers = {f"q{n}": n == 3 for n in range(1, 8)}
    response = api.post(
        reverse("api:client-screenings", args=[client_record.pk]),
        {"screened_on": "2026-11-30", **answers},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["needs_clearance"] is True
    listed = api.get(reverse("api:client-screenings", args=[client_record.pk])).json()
    assert [row["id"] for row in listed["results"]][:1] == [response.json()["id"]]


def test_a_screening_with_an_unanswered_question_is_refused_at_it(api, client_record):
    answers = {f"q{n}": False for n in range(1, 7)}  # q7 left out
    response = api.post(
        reverse("api:client-screenings", args=[client_record.pk]),
        {"screened_on": "2026-11-30", **answers},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"q7": ["Answer yes or no."]}


def test_a_clearance_in_the_future_is_refused_as_on_the_page(api, client_record):
    response = api.post(
        reverse("api:client-clearances", args=[client_record.pk]),
        {"cleared_on": "2999-01-01", "cleared_by": "Dr Reis"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["cleared_on"]


def test_an_address_the_api_does_not_have_answers_404_in_json(api):
    response = api.get("/api/v1/clients/not-a-number/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_consent_is_recorded_and_lets_an_assessment_start(api, client_record):
    consent = api.post(
        reverse("api:client-consents", args=[client_record.pk]),
        {"consented_on": "2026-11-30", "agreed": "Assessments and program design."},
        content_type="application/json",
    )
    assert consent.status_code == 201, consent.json()
    started = api.post(
        reverse("api:client-assessments", args=[client_record.pk]),
        {"assessed_on": "2026-12-01"},
        content_type="application/json",
    )
    assert started.status_code == 201, started.json()


def test_a_minors_consent_needs_the_guardians_as_on_the_page(api, specialist_user):
    minor = ClientFactory(
        specialist=specialist_user, practice=specialist_user.practice, birth_date="2014-03-01"
    )
    response = api.post(
        reverse("api:client-consents", args=[minor.pk]),
        {"consented_on": "2026-11-30", "agreed": "Assessments and program design."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "guardian_name" in response.json()
