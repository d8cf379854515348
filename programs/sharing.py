"""Getting the plan to the client: the frozen PDF, share links, downloads and portal invites."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from clients.models import Client, User
from core import mailing, site
from core.members import EMAIL_TAKEN  # one wording for a member's and a client's account

from .client_plans import client_plan_for
from .documents import portal_url
from .models import Download, FrozenPlan, Invitation, ProgramVersion, ShareLink
from .pdf.client_plan_pdf import render_client_plan

INVITE_NEEDS_EMAIL = "Add the client's email address before inviting them."


def render_version(version: ProgramVersion) -> bytes:
    """Render the client's plan PDF of a version now, with the configured page size.

    The client's plan; the specialist's report is ``documents.build_specialist_report``
    rendered by ``pdf.report``.
    """
    return render_client_plan(
        client_plan_for(version),
        page_size=settings.PLAN_PAGE_SIZE,
        logo=practice_logo(version.program.client.practice),
        portal_url=portal_url(version),
    )


def practice_logo(practice) -> bytes | None:
    """The practice's stored logo, or None when it has none or its file cannot be read."""
    if not practice.logo:
        return None
    try:
        with practice.logo.open("rb") as handle:
            return handle.read()
    except OSError:
        return None  # a missing file must not stop the plan


def freeze_pdf(version: ProgramVersion) -> None:
    """Store the published version's PDF and its SHA-256 (called at publication)."""
    pdf = render_version(version)
    FrozenPlan.objects.update_or_create(version=version, defaults={"pdf": pdf})
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.save(update_fields=["pdf_sha256"])


def frozen_pdf(version: ProgramVersion) -> bytes | None:
    """The PDF frozen at the version's publication, or None (a draft). One query, none
    when the version was read with ``select_related("frozen")``."""
    try:
        return bytes(version.frozen.pdf)
    except FrozenPlan.DoesNotExist:
        return None


def plan_pdf(version: ProgramVersion) -> bytes:
    """The PDF a client receives: the frozen one for a published version."""
    frozen = frozen_pdf(version)
    return frozen if frozen is not None else render_version(version)


def download_name(version: ProgramVersion) -> str:
    """An attachment name with the client's name, reduced to safe characters."""
    client = version.program.client
    name = slugify(f"{client.first_name} {client.last_name}") or "client"
    return f"realign-plan-{name}-v{version.number}.pdf"


def record_download(request, version, *, channel: str, link=None) -> Download | None:
    """Log a download of the plan by the request's user (None for a share link's bearer).

    Only a GET sends the file: a HEAD asks for the headers alone, so it is not logged.
    """
    if request.method != "GET":
        return None
    user = request.user
    return Download.objects.create(
        version=version,
        channel=channel,
        user=user if user.is_authenticated else None,
        link=link,
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(
    version: ProgramVersion, *, by, days: int | None = None
) -> tuple[ShareLink, str]:
    """A new link for one published version; the token is returned once and never stored."""
    token = secrets.token_urlsafe(32)  # 256 random bits
    link = ShareLink.objects.create(
        version=version,
        token_sha256=_hash(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days or settings.SHARE_LINK_DAYS),
    )
    return link, token


def find_link(token: str) -> ShareLink | None:
    """The link a token opens, whatever its state (the caller decides what to show)."""
    if not token or len(token) > 100:
        return None
    return (
        ShareLink.objects.select_related("version__program__client__practice")
        .filter(token_sha256=_hash(token))
        .first()
    )


def link_opens_plan(link: ShareLink, *, now) -> bool:
    """Whether a share link may hand out its plan now: not revoked, not expired, its version
    published and its client not archived (an archived client's links answer like revoked
    ones until the client is restored)."""
    return (
        link.is_usable(now)
        and link.version.is_published
        and link.version.program.client.archived_at is None
    )


@dataclass(frozen=True)
class LinkRow:
    """A share link as the version page lists it."""

    link: ShareLink
    state: str  # ShareLink.State: active, expired or revoked
    paused: bool  # active, but the client is archived, so it answers like a revoked link

    @property
    def revocable(self) -> bool:
        return self.state == ShareLink.State.ACTIVE


def listed_links(version: ProgramVersion, *, now) -> list[LinkRow]:
    """The version's share links, newest first, each in the state it is in at ``now``."""
    archived = version.program.client.archived_at is not None
    rows = []
    for link in version.links.select_related("created_by"):
        state = link.state(now)
        rows.append(LinkRow(link, state, archived and state == ShareLink.State.ACTIVE))
    return rows


def revoke_link(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


INVITATION_SENT = "Invitation sent to {email}."
INVITATION_NOT_SENT = (
    "The invitation to {email} could not be sent: the mail server refused it or did not "
    "answer. The portal account is ready; use “Send again” to try once more."
)
INVITATION_SENDING = "The invitation to {email} is being sent."


def invite_client(client: Client, *, by: User, request) -> Invitation:
    """Create (or reuse) the client's portal account, record the invitation and email a
    one-time set-password link once the records are committed.

    The email is sent after the transaction commits, so a slow mail server never holds the
    database; the invitation's status says whether it went (``not_sent`` can be retried).
    Raises ValidationError (INVITE_NEEDS_EMAIL, EMAIL_TAKEN) when no account can be made.
    """
    if not client.email:
        raise ValidationError(INVITE_NEEDS_EMAIL)
    with transaction.atomic():
        user = client.user
        if user is None:
            if User.objects.filter(username__iexact=client.email).exists():
                raise ValidationError(EMAIL_TAKEN)
            user = User.objects.create(
                username=client.email.lower(),
                email=client.email,
                first_name=client.first_name,
                last_name=client.last_name,
            )
            user.set_unusable_password()
            user.save()
            client.user = user
            client.save(update_fields=["user"])
        invitation = Invitation.objects.create(client=client, sent_by=by)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = site.absolute_url(request, reverse("portal:set_password", args=[uid, token]))
        message = EmailMessage(
            subject=f"Your plan from {client.practice.name}",
            body=(
                f"Hello {client.first_name},\n\n"
                f"{client.specialist.display_name()} at {client.practice.name} invites you to "
                "Realign, where you can download your exercise plan at any time.\n\n"
                f"Choose your password here (the link works once, for 3 days):\n{link}\n\n"
                f"Then sign in with your email address, {user.username}.\n"
            ),
            to=[client.email],
        )
        transaction.on_commit(lambda: send_invitation(invitation, message))
    return invitation


def send_invitation(invitation: Invitation, message: EmailMessage) -> None:
    """Send the invitation email and record whether it went (called after the commit)."""
    sent = mailing.deliver(message, what=f"Portal invitation {invitation.pk}")
    invitation.status = Invitation.Status.SENT if sent else Invitation.Status.NOT_SENT
    invitation.save(update_fields=["status"])
