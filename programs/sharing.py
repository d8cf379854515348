"""Getting the plan to the client: the frozen PDF, share links, downloads and portal invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from clients.models import Client, User

from .documents import build_plan_document
from .models import Download, ProgramVersion, ShareLink
from .pdf import render_plan

INVITE_NEEDS_EMAIL = "Add the client's email address before inviting them."
EMAIL_TAKEN = "Another account already uses this email address."


def render_version(version: ProgramVersion) -> bytes:
    """Render the plan PDF of a version now, with the configured page size."""
    return render_plan(build_plan_document(version), pagesize=settings.PLAN_PAGE_SIZE)


def freeze_pdf(version: ProgramVersion) -> None:
    """Store the published version's PDF and its SHA-256 (called at publication)."""
    pdf = render_version(version)
    version.pdf = pdf
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])


def plan_pdf(version: ProgramVersion) -> bytes:
    """The PDF a client receives: the frozen one for a published version."""
    if version.pdf:
        return bytes(version.pdf)
    return render_version(version)


def download_name(version: ProgramVersion) -> str:
    """An attachment name with the client's name, reduced to safe characters."""
    client = version.program.client
    name = slugify(f"{client.first_name} {client.last_name}") or "client"
    return f"realign-plan-{name}-v{version.number}.pdf"


def record_download(version, *, channel: str, user=None, link=None) -> Download:
    return Download.objects.create(
        version=version,
        channel=channel,
        user=user if user is not None and user.is_authenticated else None,
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
        ShareLink.objects.select_related("version__program__client")
        .filter(token_sha256=_hash(token))
        .first()
    )


def revoke_link(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


@transaction.atomic
def invite_client(client: Client, *, request) -> User:
    """Create (or reuse) the client's portal account and email a one-time set-password link."""
    if not client.email:
        raise ValueError(INVITE_NEEDS_EMAIL)
    user = client.user
    if user is None:
        if User.objects.filter(username__iexact=client.email).exists():
            raise ValueError(EMAIL_TAKEN)
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
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("portal:set_password", args=[uid, token]))
    send_mail(
        subject=f"Your plan from {client.practice.name}",
        message=(
            f"Hello {client.first_name},\n\n"
            f"{client.specialist.display_name()} at {client.practice.name} invites you to "
            "Realign, where you can download your exercise plan at any time.\n\n"
            f"Choose your password here (the link works once, for 3 days):\n{link}\n\n"
            f"Then sign in with your email address, {user.username}.\n"
        ),
        from_email=None,
        recipient_list=[client.email],
    )
    return user
