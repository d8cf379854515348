"""Getting the plan to the client: downloads, the portal, invitations and share links."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from assessments.models import TechNeck
from programs import services, sharing
from programs.models import Download
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    UserFactory,
)


def published_for(client, by):
    ConsentFactory(client=client)
    assessment = AssessmentFactory(client=client, assessed_on=timezone.localdate())
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    version = services.generate_program(assessment, by=by)
    return services.publish(version, by=by)


@pytest.fixture
def published(client_record, specialist_user):
    return published_for(client_record, specialist_user)


@pytest.fixture
def client_account(client_record):
    """Ana's own account for the portal."""
    user = UserFactory(username="ana@example.org", email="ana@example.org")
    client_record.user = user
    client_record.save()
    return user


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_publishing_freezes_the_plan_pdf(published):
    assert published.pdf
    assert len(published.pdf_sha256) == 64


def test_specialist_downloads_the_plan(as_user, specialist_user, published):
    response = as_user(specialist_user).get(reverse("programs:download", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "A plan for Ana" in pdf_text(response)
    assert Download.objects.get().channel == "specialist"


def test_download_headers_name_the_client_safely_and_forbid_caching(as_user, specialist_user):
    hostile = ClientFactory(
        specialist=specialist_user, first_name='Zoë "x"\r\n;', last_name="../../etc/passwd"
    )
    version = published_for(hostile, specialist_user)
    response = as_user(specialist_user).get(reverse("programs:download", args=[version.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.fullmatch(r'attachment; filename="realign-plan-[a-z0-9-]+-v1\.pdf"', disposition)
    assert "zoe" in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_invitation_emails_a_one_time_link_and_the_client_sets_a_password(
    as_user, specialist_user, client_record, client, django_capture_on_commit_callbacks
):
    # The email leaves once the invitation's records are committed.
    with django_capture_on_commit_callbacks(execute=True):
        as_user(specialist_user).post(reverse("programs:invite", args=[client_record.pk]))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert "choose your password" in page.text.lower()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-pass-phrase-7", "new_password2": "a-long-pass-phrase-7"},
    )
    assert done.status_code == 302
    client_record.refresh_from_db()
    assert client_record.user.check_password("a-long-pass-phrase-7")
    assert "no longer works" in client.get(link, follow=True).text


def test_invitation_needs_an_email(as_user, specialist_user, client_record):
    client_record.email = ""
    client_record.save()
    response = as_user(specialist_user).post(
        reverse("programs:invite", args=[client_record.pk]), follow=True
    )
    assert escape(sharing.INVITE_NEEDS_EMAIL) in response.text
    assert not mail.outbox


def test_portal_lists_only_the_clients_own_published_plans(
    as_user, client_account, published, specialist_user
):
    other = published_for(ClientFactory(specialist=specialist_user), specialist_user)
    page = as_user(client_account).get(reverse("portal:home"))
    assert list(page.context["versions"]) == [published]
    assert reverse("portal:download", args=[other.pk]) not in page.text
    assert published.published_at.strftime("%-d %B %Y") in page.text


def test_portal_hides_drafts(as_user, client_account, client_record, specialist_user):
    ConsentFactory(client=client_record)
    services.generate_program(AssessmentFactory(client=client_record), by=specialist_user)
    assert list(as_user(client_account).get(reverse("portal:home")).context["versions"]) == []


def test_client_downloads_their_plan_from_the_portal(as_user, client_account, published):
    response = as_user(client_account).get(reverse("portal:download", args=[published.pk]))
    assert response.status_code == 200
    assert Download.objects.get().channel == "portal"


def test_client_cannot_download_another_clients_plan_by_url(
    as_user, client_account, specialist_user
):
    other = published_for(ClientFactory(specialist=specialist_user), specialist_user)
    response = as_user(client_account).get(reverse("portal:download", args=[other.pk]))
    assert response.status_code == 404


def test_client_sees_nothing_else_in_the_application(as_user, client_account, published):
    user = as_user(client_account)
    assert user.get(reverse("clients:list")).status_code == 403
    assert (
        user.get(reverse("clients:detail", args=[published.program.client.pk])).status_code == 403
    )
    assert user.get(reverse("programs:version", args=[published.pk])).status_code == 403
    assert user.get(reverse("programs:download", args=[published.pk])).status_code == 403
    assert user.get(reverse("home"))["Location"] == reverse("portal:home")


def share(as_user, specialist_user, version, days=30):
    response = as_user(specialist_user).post(
        reverse("programs:share_create", args=[version.pk]), {"days": days}
    )
    return re.search(r'value="https?://testserver(/p/[^"]+)"', response.text).group(1)


def test_share_link_downloads_the_plan_without_signing_in(
    as_user, specialist_user, published, client
):
    path = share(as_user, specialist_user, published)
    client.logout()
    response = client.get(path + "plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Referrer-Policy"] == "no-referrer"
    download = Download.objects.get()
    assert download.channel == "link"
    assert download.link is not None


def test_only_a_hash_of_the_token_is_stored(as_user, specialist_user, published):
    path = share(as_user, specialist_user, published)
    token = path.rsplit("/", 2)[-2]
    link = published.links.get()
    assert token not in link.token_sha256
    assert len(token) >= 43  # 32 random bytes, base64: at least 256 bits


def test_revoked_link_answers_410_on_the_next_request(as_user, specialist_user, published, client):
    path = share(as_user, specialist_user, published)
    assert client.get(path).status_code == 200
    link = published.links.get()
    as_user(specialist_user).post(reverse("programs:share_revoke", args=[published.pk, link.pk]))
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "Ana" not in response.text
    assert "no longer valid" in response.text


def test_expired_link_answers_410(as_user, specialist_user, published, client):
    path = share(as_user, specialist_user, published)
    published.links.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    assert client.get(path).status_code == 410


def test_unknown_link_answers_404(client, db):
    assert client.get(reverse("portal:shared_plan", args=["x" * 43])).status_code == 404


def test_colleague_cannot_share_or_revoke(as_user, colleague, specialist_user, published):
    assert (
        as_user(colleague).post(reverse("programs:share_create", args=[published.pk])).status_code
        == 404
    )


def test_a_link_for_someone_elses_plan_cannot_be_revoked_through_my_program(
    as_user, specialist_user, published
):
    other = published_for(ClientFactory(specialist=specialist_user), specialist_user)
    link, _ = sharing.create_share_link(other, by=specialist_user)
    response = as_user(specialist_user).post(
        reverse("programs:share_revoke", args=[published.pk, link.pk])
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_share_link_path_is_stable(published, specialist_user):
    # Links already e-mailed must keep working: the path is pinned, not reversed.
    _, token = sharing.create_share_link(published, by=specialist_user)
    assert reverse("portal:shared_plan", args=[token]) == f"/p/{token}/"


def test_signing_in_with_the_client_account(client, client_account):
    response = client.post(
        reverse("login"), {"username": "ana@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
