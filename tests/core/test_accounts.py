"""Signing in and out (login, logout) and the password pages (password_change, password_reset)."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_sign_in_with_username_and_password(client, specialist_user):
    response = client.post(
        reverse("login"), {"username": specialist_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("clients:list")).status_code == 200


def test_wrong_password_shows_an_error(client, specialist_user):
    response = client.post(
        reverse("login"), {"username": specialist_user.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_sign_out_ends_the_session(as_user, specialist_user):
    signed_in = as_user(specialist_user)
    assert signed_in.post(reverse("logout")).status_code == 302
    assert signed_in.get(reverse("clients:list")).status_code == 302


def test_password_change_needs_the_old_password(as_user, specialist_user):
    response = as_user(specialist_user).post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-phrase",
            "new_password2": "a-much-longer-pass-phrase",
        },
    )
    assert response.status_code == 302
    specialist_user.refresh_from_db()
    assert specialist_user.check_password("a-much-longer-pass-phrase")


def test_short_passwords_are_refused(as_user, specialist_user):
    response = as_user(specialist_user).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xy7!short", "new_password2": "Xy7!short"},
    )
    assert "at least 12 characters" in response.text


def test_password_reset_sends_a_one_time_link(client, specialist_user):
    client.post(reverse("password_reset"), {"email": specialist_user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.text
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-pass-phrase-123", "new_password2": "reset-pass-phrase-123"},
    )
    specialist_user.refresh_from_db()
    assert specialist_user.check_password("reset-pass-phrase-123")
    assert "no longer works" in client.get(path, follow=True).text


def test_the_sign_in_field_asks_for_an_email_or_username(client):
    page = client.get(reverse("login")).text
    assert "Email or username" in page


def test_a_refused_email_sign_in_speaks_of_the_email(client, django_user_model):
    django_user_model.objects.create_user("ana@example.org", "ana@example.org", "x" * 14)
    response = client.post(reverse("login"), {"username": "ana@example.org", "password": "no"})
    assert response.status_code == 200
    assert "correct email and password" in response.text
    assert "username" not in str(response.context["form"].non_field_errors())
