"""Share links made and revoked from the program page (programs:share_create, share_revoke)."""

from django.urls import reverse

from programs import sharing
from tests.factories import (
    ClientFactory,
    published_program,
)
from tests.steps import share


def test_the_specialist_gets_the_link_with_a_copy_button_and_a_selectable_field(
    as_user, specialist_user, published
):
    page = as_user(specialist_user).post(
        reverse("programs:share_create", args=[published.pk]), {"days": 30}
    )
    assert 'id="share-url" type="text" readonly' in page.text
    assert 'data-copy="share-url"' in page.text


def test_only_a_hash_of_the_token_is_stored(as_user, specialist_user, published):
    path = share(as_user, specialist_user, published)
    token = path.rsplit("/", 2)[-2]
    link = published.links.get()
    assert token not in link.token_sha256
    assert len(token) >= 43  # 32 random bytes, base64: at least 256 bits


def test_colleague_cannot_share_or_revoke(as_user, colleague, specialist_user, published):
    assert (
        as_user(colleague).post(reverse("programs:share_create", args=[published.pk])).status_code
        == 404
    )


def test_a_link_for_someone_elses_plan_cannot_be_revoked_through_my_program(
    as_user, specialist_user, published
):
    other = published_program(ClientFactory(specialist=specialist_user), specialist_user)
    link, _ = sharing.create_share_link(other, by=specialist_user)
    response = as_user(specialist_user).post(
        reverse("programs:share_revoke", args=[published.pk, link.pk])
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
