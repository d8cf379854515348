"""Every API list and detail makes the same number of SQL queries at two data sizes, and
at most 10, called with a personal token as a script calls it (the worlds of
tests/web/test_query_counts_at_scale.py: 4 and 61 clients, a plan of fewer and of 18+
exercises). Timings are `make bench`'s business."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import tokens
from bench.seeding import SHOWCASE_LAST_NAME
from tests.web.test_query_counts_at_scale import QUERY_LIMIT, worlds  # noqa: F401 (fixture)

ENDPOINTS = (
    "client-list",
    "client-search",
    "client-detail",
    "client-assessments",
    "client-sessions",
    "assessment-detail",
    "assessment-section-tech_neck",
    "assessment-section-pain",
    "assessment-findings",
    "program-list",
    "program-detail",
    "version-detail",
    "item-detail",
    "version-plan",
)


def url_of(world, name: str) -> str:
    client, assessment, version = world.showcase, world.showcase_assessment, world.showcase_version
    item = version.phases.order_by("position").first().items.order_by("position").first()
    args = {
        "client-list": [],
        "client-search": [],
        "client-detail": [client.pk],
        "client-assessments": [client.pk],
        "client-sessions": [client.pk],
        "assessment-detail": [assessment.pk],
        "assessment-section-tech_neck": [assessment.pk],
        "assessment-section-pain": [assessment.pk],
        "assessment-findings": [assessment.pk],
        "program-list": [],
        "program-detail": [version.program_id],
        "version-detail": [version.pk],
        "item-detail": [item.pk],
        "version-plan": [version.pk],
    }[name]
    url = reverse(f"api:{name.replace('client-search', 'client-list')}", args=args)
    return f"{url}?search={SHOWCASE_LAST_NAME[:6]}" if name == "client-search" else url


def queries(http, world, name: str) -> list[str]:
    _, token = tokens.create_token(world.owner, name=f"counts {name}")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = url_of(world, name)
    http.get(url, **headers)  # the token's first use is written once a minute
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.content[:200])
    return [q["sql"][:90] for q in captured.captured_queries]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_endpoint_query_count_is_the_same_at_both_sizes(db, client, worlds, name):  # noqa: F811
    small, large = (queries(client, world, name) for world in worlds)
    listing = "\n".join(large)
    assert len(small) == len(large), f"{name}: {len(small)} with 4 clients, at 61:\n{listing}"


@pytest.mark.parametrize("name", ENDPOINTS)
def test_endpoint_stays_within_the_query_budget(db, client, worlds, name):  # noqa: F811
    large = queries(client, worlds[1], name)
    listing = "\n".join(large)
    assert len(large) <= QUERY_LIMIT, f"{name}: {len(large)} queries (at most 10):\n{listing}"
