"""The rate per token: counted on the token's row, so one count for every process and
server; over it, 429 with when to try again."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from api.authentication import TokenRateThrottle
from api.models import ApiToken

URL = reverse("api:client-list")


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/min", raising=False)


def test_a_token_over_its_rate_is_refused_with_when_to_retry(api, three_a_minute):
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(URL)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()


def test_the_count_does_not_live_in_one_process(api, three_a_minute):
    for _ in range(3):
        api.get(URL)
        cache.clear()  # what another server process would have: nothing of these calls
    assert api.get(URL).status_code == 429


def test_a_new_minute_starts_a_new_count(api, three_a_minute):
    for _ in range(4):
        api.get(URL)
    row = ApiToken.objects.get()
    row.window_started_at -= timedelta(seconds=61)
    row.save(update_fields=["window_started_at"])
    assert api.get(URL).status_code == 200


def test_each_token_has_its_own_count(api, three_a_minute, specialist_user, client):
    from api import tokens

    for _ in range(4):
        api.get(URL)
    _, other = tokens.create_token(specialist_user, name="second script")
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200
