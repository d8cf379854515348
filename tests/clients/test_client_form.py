from django.urls import reverse

from clients.forms import (
    BIRTH_DATE_IN_FUTURE,
    DELIVERY_BEFORE_BIRTH,
    DELIVERY_TYPE_REQUIRED,
)
from clients.models import Client

VALID = {
    "first_name": "Ana",
    "last_name": "Silva",
    "birth_date": "1990-05-17",
    "sex": "female",
    "email": "ana@example.org",
    "goals": "Run a 10k without back pain",
}


def post_new(as_user, user, **changes):
    return as_user(user).post(reverse("clients:create"), {**VALID, **changes})


def test_valid_client_is_created_and_shown(as_user, specialist_user):
    response = post_new(as_user, specialist_user)
    client = Client.objects.get()
    assert response["Location"] == reverse("clients:detail", args=[client.pk])
    assert client.goals == "Run a 10k without back pain"


def test_future_birth_date_is_refused_at_its_field_and_other_values_are_kept(
    as_user, specialist_user
):
    response = post_new(as_user, specialist_user, birth_date="2999-01-01")
    assert response.context["form"].errors == {"birth_date": [BIRTH_DATE_IN_FUTURE]}
    assert 'value="ana@example.org"' in response.text
    assert "Run a 10k without back pain" in response.text
    assert not Client.objects.exists()


def test_malformed_birth_date_is_a_field_error(as_user, specialist_user):
    response = post_new(as_user, specialist_user, birth_date="17/05/19x")
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors


def test_delivery_date_needs_a_delivery_type(as_user, specialist_user):
    response = post_new(as_user, specialist_user, delivery_date="2026-09-01")
    assert response.context["form"].errors == {"delivery_type": [DELIVERY_TYPE_REQUIRED]}


def test_delivery_before_birth_is_refused(as_user, specialist_user):
    response = post_new(
        as_user, specialist_user, delivery_date="1980-01-01", delivery_type="vaginal"
    )
    assert response.context["form"].errors == {"delivery_date": [DELIVERY_BEFORE_BIRTH]}


def test_field_error_is_rendered_next_to_the_field(as_user, specialist_user):
    response = post_new(as_user, specialist_user, birth_date="2999-01-01")
    html = response.text
    field_at = html.index('id="id_birth_date"')
    error_at = html.index(BIRTH_DATE_IN_FUTURE, field_at)
    assert 0 < error_at - field_at < 600


def test_error_summary_links_to_the_field(as_user, specialist_user):
    html = post_new(as_user, specialist_user, birth_date="2999-01-01").text
    assert f'<a href="#id_birth_date">Birth date</a>: {BIRTH_DATE_IN_FUTURE}' in html


def test_editing_keeps_the_client_and_saves_changes(as_user, specialist_user, client_record):
    response = as_user(specialist_user).post(
        reverse("clients:edit", args=[client_record.pk]),
        {**VALID, "goals": "Carry the kids without back pain"},
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.goals == "Carry the kids without back pain"


def test_over_long_name_is_a_field_error_not_a_crash(as_user, specialist_user):
    response = post_new(as_user, specialist_user, first_name="A" * 500)
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors
