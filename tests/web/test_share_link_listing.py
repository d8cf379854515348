"""The version page lists each download link in its real state: active, expired or revoked."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.models import TechNeck
from programs import services, sharing
from tests.factories import AssessmentFactory, ConsentFactory


def _published(client_record, specialist_user):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=47)
    draft = services.generate_program(assessment, by=specialist_user)
    return services.publish(draft, by=specialist_user)


def _row(page: str, link) -> str:
    start = page.index(f"<td>#{link.pk}</td>")
    return page[start : page.index("</tr>", start)]


def test_an_expired_link_is_listed_as_expired_without_a_revoke_button(
    as_user, specialist_user, client_record
):
    version = _published(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "expired" in row
    assert "active" not in row
    assert "Revoke" not in row


def test_a_live_link_is_active_with_a_revoke_button(as_user, specialist_user, client_record):
    version = _published(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "active" in row
    assert "Revoke" in row


def test_a_revoked_link_says_when_and_offers_nothing(as_user, specialist_user, client_record):
    version = _published(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    sharing.revoke_link(link)
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "revoked" in row
    assert "Revoke" not in row
