"""Personas shared by the tests: who they are and what they may see."""

import pytest

from clients.models import Membership
from tests.factories import ClientFactory, PracticeFactory, UserFactory, specialist


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def practice(db):
    """The practice most tests happen in."""
    return PracticeFactory(name="Northside Movement")


@pytest.fixture
def owner(practice):
    """The practice owner: sees every client of the practice."""
    return specialist(practice, role=Membership.Role.OWNER)


@pytest.fixture
def specialist_user(practice):
    """The owning specialist of `client`."""
    return specialist(practice)


@pytest.fixture
def colleague(practice):
    """Another specialist in the same practice: sees only their own clients."""
    return specialist(practice)


@pytest.fixture
def outsider(db):
    """The owner of another practice: sees nothing of this one."""
    return specialist(PracticeFactory(name="Elsewhere Studio"), role=Membership.Role.OWNER)


@pytest.fixture
def staff(db):
    """A staff user: the Django admin, but no practice."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def client_record(specialist_user):
    """A client of `specialist_user`."""
    return ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")


@pytest.fixture
def as_user(client):
    """Sign the test client in as the given user and return it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
