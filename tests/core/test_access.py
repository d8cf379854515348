"""core.access: the owner's doors to the practice's memberships and pending invitations."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from clients.models import MemberInvitation
from core.access import get_membership_for, get_pending_invitation_for
from tests.factories import UserFactory


def invitation_of(practice, owner, **fields) -> MemberInvitation:
    return MemberInvitation.objects.create(
        practice=practice, user=UserFactory(), invited_by=owner, **fields
    )


def test_the_owner_opens_a_membership_of_the_practice(owner, specialist_user):
    assert get_membership_for(owner, specialist_user.membership.pk) == specialist_user.membership


def test_a_specialist_may_not_open_a_membership(specialist_user, colleague):
    with pytest.raises(PermissionDenied):
        get_membership_for(specialist_user, colleague.membership.pk)


def test_another_practice_s_membership_is_not_found(outsider, specialist_user):
    with pytest.raises(Http404):
        get_membership_for(outsider, specialist_user.membership.pk)


def test_the_owner_opens_a_pending_invitation(owner, practice):
    invitation = invitation_of(practice, owner)
    assert get_pending_invitation_for(owner, invitation.pk) == invitation


def test_an_accepted_invitation_is_not_found(owner, practice):
    invitation = invitation_of(practice, owner, accepted_at=timezone.now())
    with pytest.raises(Http404):
        get_pending_invitation_for(owner, invitation.pk)


def test_another_practice_s_invitation_is_not_found(owner, practice, outsider):
    invitation = invitation_of(practice, owner)
    with pytest.raises(Http404):
        get_pending_invitation_for(outsider, invitation.pk)


def test_a_specialist_may_not_open_an_invitation(owner, practice, specialist_user):
    invitation = invitation_of(practice, owner)
    with pytest.raises(PermissionDenied):
        get_pending_invitation_for(specialist_user, invitation.pk)
