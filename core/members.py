"""The practice's members, run by its owner: invite, list, change a role, deactivate.

Every write is here; the pages (core/views.py) only ask and show. An invitation
creates the invitee's account without a usable password and emails a one-time link
(Django's password-reset token: used once, valid for ``PASSWORD_RESET_TIMEOUT``) to choose
one; choosing it makes the account a specialist of the practice. The email leaves after
the commit, through core/mailing.py, and a failed send can be sent again. A change the
practice's rules refuse raises ``ValidationError`` with one of the messages below.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clients.models import Client, MemberInvitation, Membership, Practice, User

from . import mailing, site

EMAIL_TAKEN = "Another account already uses this email address."
ALREADY_INVITED = (
    "This address has an invitation waiting: use “Send again” in the list of invitations."
)
LAST_OWNER = "The practice must keep an owner: make another member owner first."
NOT_YOURSELF = "You cannot deactivate your own account: another owner can."
CLIENTS_NEED_A_MEMBER = "Choose who takes over this member's {count} client{plural}."
NOT_A_MEMBER = "Choose an active member of the practice."

INVITATION_SENT = "Invitation sent to {email}."
INVITATION_NOT_SENT = (
    "The invitation to {email} could not be sent: the mail server refused it or did not "
    "answer. The invitation is kept; use “Send again” to try once more."
)
INVITATION_SENDING = "The invitation to {email} is being sent."


def members(practice: Practice) -> QuerySet[Membership]:
    """The practice's members with their user and client counts, in a constant number of
    queries: active first, then by name."""
    own = Q(user__clients__practice=practice)
    return (
        Membership.objects.filter(practice=practice)
        .select_related("user")
        .annotate(
            client_count=Count(
                "user__clients", filter=own & Q(user__clients__archived_at__isnull=True)
            ),
            archived_count=Count(
                "user__clients", filter=own & Q(user__clients__archived_at__isnull=False)
            ),
        )
        .order_by(
            F("deactivated_at").asc(nulls_first=True),
            "user__first_name",
            "user__last_name",
            "user__username",
        )
    )


def pending_invitations(practice: Practice) -> QuerySet[MemberInvitation]:
    """Invitations of the practice that nobody has accepted yet, newest first."""
    return practice.invitations.filter(accepted_at__isnull=True).select_related(
        "user", "invited_by"
    )


def active_members(practice: Practice) -> QuerySet[User]:
    """The users who can take clients over: active members of the practice."""
    return User.objects.filter(
        membership__practice=practice, membership__deactivated_at__isnull=True, is_active=True
    ).order_by("first_name", "last_name", "username")


def email_in_use(email: str) -> bool:
    """Whether an account already signs in as, or receives mail at, this address."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def invite_member(
    practice: Practice, *, email: str, first_name: str, last_name: str, by: User, request
) -> MemberInvitation:
    """Create the invitee's account and invitation; the email leaves after the commit."""
    email = email.strip()
    with transaction.atomic():
        if email_in_use(email):
            raise ValidationError(EMAIL_TAKEN)
        # They sign in with their email, as clients do: it is their username.
        user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
        invitation = MemberInvitation.objects.create(practice=practice, user=user, invited_by=by)
        _send_after_commit(invitation, request)
    return invitation


def send_again(invitation: MemberInvitation, request) -> None:
    """Email a fresh one-time link for a pending invitation, after the commit."""
    with transaction.atomic():
        invitation.status = MemberInvitation.Status.SENDING
        invitation.save(update_fields=["status"])
        _send_after_commit(invitation, request)


def _send_after_commit(invitation: MemberInvitation, request) -> None:
    user = invitation.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = site.absolute_url(request, reverse("core:member_welcome", args=[uid, token]))
    days = link_days()
    inviter = invitation.invited_by.display_name() if invitation.invited_by else "The owner"
    message = EmailMessage(
        subject=f"Join {invitation.practice.name} on Realign",
        body=(
            f"Hello {user.first_name or user.email},\n\n"
            f"{inviter} invites you to join {invitation.practice.name} on Realign as a "
            "specialist.\n\n"
            f"Choose your password here (the link works once, for {days} days):\n{link}\n\n"
            f"Then sign in with your email address, {user.username}.\n"
        ),
        to=[user.email],
    )
    transaction.on_commit(lambda: _deliver(invitation, message))


def link_days() -> int:
    """How many days an invitation link works (Django's PASSWORD_RESET_TIMEOUT)."""
    return settings.PASSWORD_RESET_TIMEOUT // 86400


def _deliver(invitation: MemberInvitation, message: EmailMessage) -> None:
    sent = mailing.deliver(message, what=f"Member invitation {invitation.pk}")
    invitation.status = MemberInvitation.Status.SENT if sent else MemberInvitation.Status.NOT_SENT
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["status", "sent_at"])


def outcome(invitation: MemberInvitation) -> tuple[str, str]:
    """("success" | "error" | "info", text) saying what became of the invitation's email."""
    email = invitation.user.email
    if invitation.status == MemberInvitation.Status.SENT:
        return "success", INVITATION_SENT.format(email=email)
    if invitation.status == MemberInvitation.Status.NOT_SENT:
        return "error", INVITATION_NOT_SENT.format(email=email)
    return "info", INVITATION_SENDING.format(email=email)


def join(user: User) -> Membership | None:
    """Make the invitee a specialist of the practice that invited them, once their password
    is set; None if the account has no pending invitation."""
    with transaction.atomic():
        invitation = (
            MemberInvitation.objects.select_for_update()
            .filter(user=user, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return None
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        membership, _ = Membership.objects.get_or_create(
            user=user,
            defaults={"practice": invitation.practice, "role": Membership.Role.SPECIALIST},
        )
        return membership


def _lock_practice(practice_id: int) -> None:
    # Two owners changing roles at once must not both pass the last-owner check
    # (PostgreSQL; SQLite's IMMEDIATE transactions already take one writer at a time).
    Practice.objects.select_for_update().filter(pk=practice_id).values_list("pk").get()


def _other_owner_exists(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            practice_id=membership.practice_id,
            role=Membership.Role.OWNER,
            deactivated_at__isnull=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def change_role(membership: Membership, role: str) -> None:
    """Give the member another role; the last active owner cannot stop being one."""
    with transaction.atomic():
        _lock_practice(membership.practice_id)
        # The row as stored: a bound ModelForm has already written the new role on the object.
        current = Membership.objects.get(pk=membership.pk)
        if (
            current.role == Membership.Role.OWNER
            and role != Membership.Role.OWNER
            and current.deactivated_at is None
            and not _other_owner_exists(current)
        ):
            membership.role = current.role
            raise ValidationError(LAST_OWNER)
        membership.role = role
        membership.save(update_fields=["role"])


def deactivate(membership: Membership, *, move_clients_to: User | None, by: User) -> int:
    """End the member's access and give every client of theirs (archived ones too) to
    another active member; returns how many clients moved. Nothing is deleted: their
    assessments and plans stay signed by them, and the history records each change."""
    with transaction.atomic():
        _lock_practice(membership.practice_id)
        user = membership.user
        if user.pk == by.pk:
            raise ValidationError(NOT_YOURSELF)
        if membership.role == Membership.Role.OWNER and not _other_owner_exists(membership):
            raise ValidationError(LAST_OWNER)
        clients = list(Client.objects.filter(practice_id=membership.practice_id, specialist=user))
        if clients:
            if move_clients_to is None:
                raise ValidationError(
                    CLIENTS_NEED_A_MEMBER.format(
                        count=len(clients), plural="" if len(clients) == 1 else "s"
                    )
                )
            if (
                move_clients_to.pk == user.pk
                or not active_members(membership.practice).filter(pk=move_clients_to.pk).exists()
            ):
                raise ValidationError(NOT_A_MEMBER)
        for client in clients:
            # One save each, not a bulk update: each move is a row of the client's history.
            client.specialist = move_clients_to
            client.save(update_fields=["specialist"])
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["deactivated_at"])
        # An inactive account cannot sign in, and its open sessions end at their next
        # request (the sign-in backend loads no inactive user).
        user.is_active = False
        user.save(update_fields=["is_active"])
    return len(clients)
