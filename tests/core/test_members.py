"""The practice's members (core:member_*): the owner invites, changes roles, deactivates."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from clients.models import Client, Consent, MemberInvitation, Membership, User
from core import members
from tests.factories import PASSWORD, ClientFactory, ConsentFactory, specialist
from tests.failing_mail import failing_mailer

NEW_PASSWORD = "a-long-pass-phrase-7"


def invite(http, email="lee.chen@example.org"):
    return http.post(
        reverse("core:member_invite"),
        {"email": email, "first_name": "Lee", "last_name": "Chen"},
    )


def emailed_link() -> str:
    return re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)


def signs_in(http, username, password) -> bool:
    """Whether the sign-in page lets the user in (a redirect, not the form again)."""
    http.logout()
    return (
        http.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    )


def choose_password(http, link):
    page = http.get(link, follow=True)
    return http.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


# --- Invitation ---------------------------------------------------------------------------


def test_the_owner_invites_a_specialist_by_email(
    as_user, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_user(owner))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["lee.chen@example.org"]]
    assert "/welcome/member/" in mail.outbox[0].body
    assert MemberInvitation.objects.get().status == MemberInvitation.Status.SENT


def test_the_invitation_link_sets_the_password_and_joins_the_practice_as_specialist(
    as_user, owner, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(owner))
    client.logout()
    assert choose_password(client, emailed_link()).status_code == 302
    user = User.objects.get(username="lee.chen@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert user.membership.practice == owner.practice
    assert user.membership.role == Membership.Role.SPECIALIST
    assert signs_in(client, "lee.chen@example.org", NEW_PASSWORD)


def test_the_invitation_link_works_once(as_user, owner, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(owner))
    client.logout()
    link = emailed_link()
    choose_password(client, link)
    assert "no longer works" in client.get(link, follow=True).text


def test_the_invitation_link_expires_with_the_password_reset_timeout(
    as_user, owner, client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(owner))
    client.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is already older than that
    assert "no longer works" in client.get(emailed_link(), follow=True).text


def test_an_invitee_cannot_sign_in_before_choosing_a_password(
    as_user, owner, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_user(owner))
    invitee = User.objects.get(username="lee.chen@example.org")
    assert not invitee.has_usable_password()
    assert not hasattr(invitee, "membership")


def test_an_email_another_account_uses_is_refused_at_its_field(as_user, owner, specialist_user):
    response = invite(as_user(owner), email=specialist_user.email.upper())
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [members.EMAIL_TAKEN]
    assert not mail.outbox


def test_inviting_the_same_address_twice_points_to_send_again(
    as_user, owner, django_capture_on_commit_callbacks
):
    http = as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        invite(http)
        response = invite(http, email="Lee.Chen@example.org")
    assert response.context["form"].errors["email"] == [members.ALREADY_INVITED]
    assert MemberInvitation.objects.count() == 1


def test_a_failed_send_is_shown_with_send_again_never_a_500(
    as_user, owner, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = failing_mailer("unreachable")
    http = as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(http)
    assert response.status_code == 302
    assert MemberInvitation.objects.get().status == MemberInvitation.Status.NOT_SENT
    page = http.get(reverse("core:practice")).text
    assert "not sent" in page
    assert "Send again" in page


def test_send_again_emails_a_new_link(as_user, owner, settings, django_capture_on_commit_callbacks):
    working = settings.MAILERS
    settings.MAILERS = failing_mailer("refused")
    http = as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        invite(http)
    settings.MAILERS = working
    invitation = MemberInvitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reverse("core:member_invitation_send", args=[invitation.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["lee.chen@example.org"]]
    invitation.refresh_from_db()
    assert invitation.status == MemberInvitation.Status.SENT


# --- Members and their client counts ------------------------------------------------------


def test_the_practice_page_lists_members_with_role_and_client_count(
    as_user, owner, specialist_user
):
    ClientFactory.create_batch(2, specialist=specialist_user)
    page = as_user(owner).get(reverse("core:practice"))
    listed = {m.user: (m.role, m.client_count) for m in page.context["members"]}
    assert listed == {
        owner: (Membership.Role.OWNER, 0),
        specialist_user: (Membership.Role.SPECIALIST, 2),
    }
    assert escape(specialist_user.display_name()) in page.text


def test_the_member_list_costs_the_same_queries_for_any_number_of_members(owner, practice):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(members.members(practice))
        return len(queries)

    ClientFactory(specialist=specialist(practice))
    few = count_queries()
    for _ in range(5):
        ClientFactory(specialist=specialist(practice))
    assert count_queries() == few


# --- Roles --------------------------------------------------------------------------------


def test_the_owner_makes_a_specialist_an_owner(as_user, owner, specialist_user):
    response = as_user(owner).post(
        reverse("core:member_role", args=[specialist_user.membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 302
    specialist_user.membership.refresh_from_db()
    assert specialist_user.membership.role == Membership.Role.OWNER


def test_the_last_owner_cannot_be_demoted(as_user, owner):
    response = as_user(owner).post(
        reverse("core:member_role", args=[owner.membership.pk]), {"role": "specialist"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [members.LAST_OWNER]
    owner.membership.refresh_from_db()
    assert owner.membership.role == Membership.Role.OWNER


def test_an_owner_may_step_down_when_another_owner_remains(as_user, owner, practice):
    specialist(practice, role=Membership.Role.OWNER)
    response = as_user(owner).post(
        reverse("core:member_role", args=[owner.membership.pk]), {"role": "specialist"}
    )
    assert response.status_code == 302
    owner.membership.refresh_from_db()
    assert owner.membership.role == Membership.Role.SPECIALIST


def test_a_role_change_is_in_the_audit_history(as_user, owner, specialist_user):
    as_user(owner).post(
        reverse("core:member_role", args=[specialist_user.membership.pk]), {"role": "owner"}
    )
    latest = specialist_user.membership.history.first()
    assert (latest.role, latest.history_user) == (Membership.Role.OWNER, owner)


# --- Deactivation -------------------------------------------------------------------------


def deactivate(http, member, to=None):
    return http.post(
        reverse("core:member_deactivate", args=[member.membership.pk]),
        {"move_clients_to": to.pk if to else ""},
    )


def test_deactivation_moves_every_client_to_the_member_chosen(
    as_user, owner, specialist_user, colleague
):
    kept = ClientFactory(specialist=specialist_user)
    archived = ClientFactory(specialist=specialist_user, archived_at="2026-11-01T10:00Z")
    ConsentFactory(client=kept)
    response = deactivate(as_user(owner), specialist_user, to=colleague)
    assert response.status_code == 302
    assert set(Client.objects.filter(specialist=colleague)) == {kept, archived}
    assert Consent.objects.filter(client=kept).exists()  # nothing is deleted
    assert User.objects.filter(pk=specialist_user.pk).exists()


def test_a_deactivated_member_can_no_longer_sign_in(client, as_user, owner, specialist_user):
    deactivate(as_user(owner), specialist_user)
    assert not signs_in(client, specialist_user.username, PASSWORD)
    specialist_user.membership.refresh_from_db()
    assert specialist_user.membership.deactivated_at is not None


def test_a_deactivated_member_s_open_session_ends(client, owner, specialist_user):
    from django.test import Client as Browser

    theirs = Browser()
    theirs.force_login(specialist_user)
    client.force_login(owner)
    deactivate(client, specialist_user)
    assert theirs.get(reverse("clients:list")).status_code == 302  # to the sign-in page


def test_deactivating_a_member_with_clients_needs_someone_to_take_them(
    as_user, owner, specialist_user
):
    ClientFactory(specialist=specialist_user)
    response = deactivate(as_user(owner), specialist_user)
    assert response.status_code == 200
    assert response.context["form"].errors["move_clients_to"] == [
        members.CLIENTS_NEED_A_MEMBER.format(count=1, plural="")
    ]
    specialist_user.refresh_from_db()
    assert specialist_user.is_active


def test_clients_cannot_move_to_a_member_of_another_practice(
    as_user, owner, specialist_user, outsider
):
    client_record = ClientFactory(specialist=specialist_user)
    response = deactivate(as_user(owner), specialist_user, to=outsider)
    assert "move_clients_to" in response.context["form"].errors
    client_record.refresh_from_db()
    assert client_record.specialist == specialist_user


def test_deactivation_and_the_moves_are_in_the_audit_history(
    as_user, owner, specialist_user, colleague
):
    moved = ClientFactory(specialist=specialist_user)
    deactivate(as_user(owner), specialist_user, to=colleague)
    assert specialist_user.membership.history.first().deactivated_at is not None
    latest = moved.history.first()
    assert (latest.specialist_id, latest.history_user) == (colleague.pk, owner)


def test_the_last_owner_cannot_be_deactivated(owner, practice):
    other_owner_gone = specialist(practice, role=Membership.Role.OWNER)
    other_owner_gone.is_active = False
    other_owner_gone.save()
    with pytest.raises(ValidationError, match="keep an owner"):
        members.deactivate(owner.membership, move_clients_to=None, by=other_owner_gone)


def test_an_owner_cannot_deactivate_themselves(as_user, owner, practice):
    specialist(practice, role=Membership.Role.OWNER)
    with pytest.raises(ValidationError):
        members.deactivate(owner.membership, move_clients_to=None, by=owner)


def test_a_deactivated_member_is_not_offered_to_take_clients(
    as_user, owner, specialist_user, colleague
):
    deactivate(as_user(owner), colleague)
    client_record = ClientFactory(specialist=specialist_user)
    page = as_user(owner).get(reverse("clients:reassign", args=[client_record.pk]))
    assert colleague not in page.context["form"].fields["specialist"].queryset


# --- A specialist is not the owner --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("core:member_invite", None),
        ("core:member_role", "colleague"),
        ("core:member_deactivate", "colleague"),
    ],
)
def test_a_specialist_gets_403_on_the_members_pages(
    as_user, specialist_user, colleague, name, member
):
    args = [colleague.membership.pk] if member else []
    http = as_user(specialist_user)
    assert http.get(reverse(name, args=args)).status_code == 403
    assert http.post(reverse(name, args=args), {"role": "owner"}).status_code == 403
    colleague.membership.refresh_from_db()
    assert colleague.membership.role == Membership.Role.SPECIALIST
    assert not MemberInvitation.objects.exists()


def test_a_specialist_cannot_send_an_invitation_again(as_user, owner, specialist_user):
    invitation = MemberInvitation.objects.create(
        practice=owner.practice,
        user=User.objects.create(username="x@example.org", email="x@example.org"),
        invited_by=owner,
        status=MemberInvitation.Status.NOT_SENT,
    )
    response = as_user(specialist_user).post(
        reverse("core:member_invitation_send", args=[invitation.pk])
    )
    assert response.status_code == 403
    assert not mail.outbox
