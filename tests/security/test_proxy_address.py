"""The client address behind proxies: PROXY_COUNT decides how much of X-Forwarded-For is trusted.

Sign-in throttling is per username and address; a wrong address either lets one user lock
out everyone behind the proxy, or lets an attacker pick a fresh address per attempt.
"""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from config.client_address import client_address
from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # the reverse proxy, as the app server sees it


def sign_in(client, user, password=PASSWORD, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


def fail_five_times(client, user, forwarded_for):
    for _ in range(5):
        sign_in(client, user, "wrong", forwarded_for=forwarded_for)


def test_with_one_proxy_a_lockout_stays_with_the_address_that_failed(
    client, settings, specialist_user
):
    settings.PROXY_COUNT = 1
    fail_five_times(client, specialist_user, "203.0.113.5")
    assert sign_in(client, specialist_user, forwarded_for="203.0.113.5").status_code == 429
    # The same user from another address behind the same proxy still signs in.
    assert sign_in(client, specialist_user, forwarded_for="198.51.100.7").status_code == 302


def test_with_one_proxy_the_attempt_records_the_client_address(client, settings, specialist_user):
    settings.PROXY_COUNT = 1
    sign_in(client, specialist_user, "wrong", forwarded_for="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_with_one_proxy_a_forged_left_part_of_the_header_changes_nothing(
    client, settings, specialist_user
):
    settings.PROXY_COUNT = 1
    for n in range(5):
        # The client sends its own X-Forwarded-For; the proxy appends the real address.
        sign_in(client, specialist_user, "wrong", forwarded_for=f"192.0.2.{n}, 203.0.113.5")
    forged = sign_in(client, specialist_user, forwarded_for="192.0.2.99, 203.0.113.5")
    assert forged.status_code == 429


def test_with_no_proxy_a_forwarded_for_header_cannot_escape_a_lockout(
    client, settings, specialist_user
):
    settings.PROXY_COUNT = 0
    for n in range(5):
        sign_in(client, specialist_user, "wrong", forwarded_for=f"198.51.100.{n}")
    assert sign_in(client, specialist_user, forwarded_for="198.51.100.77").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def request_from(remote, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no proxy: the header is the client's own words
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),  # the left part was forged
        (2, "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies, each appended one
        (2, "198.51.100.7", PROXY),  # fewer hops than proxies: not through all of them
        (1, None, PROXY),  # reached the app directly
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(
    settings, proxies, forwarded_for, expected
):
    settings.PROXY_COUNT = proxies
    assert client_address(request_from(PROXY, forwarded_for)) == expected
