"""Every page makes the same number of SQL queries at two data sizes, and at most 10.

Two practices are seeded once for the module (bench/seeding.py, the data `make bench` uses):
a small one (3 clients, a showcase client with 2 assessments and the engine's plan) and a
larger one (60 clients with several assessments each, published plans, a showcase client
with 8 assessments and a plan of 18+ exercises); each showcase assessment has four posture
photos. Each page is opened as the practice owner (the portal as the client, the share
link's page by nobody signed in) in both, and the counts must match: a count that grows
with the data is a per-row query. Timings are `make bench`'s business, never a test's.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.photos import ensure_photos
from bench.seeding import SHOWCASE_LAST_NAME, Size, seed
from programs import sharing
from programs.access import get_version_for
from programs.client_plans import client_plan_for

QUERY_LIMIT = 10
SMALL = Size(
    specialists=2,
    clients=3,
    assessments_per_client=1,
    published_share=0.0,
    showcase_assessments=2,
    showcase_exercises=0,
)
LARGE = Size(
    specialists=3,
    clients=60,
    assessments_per_client=3,
    published_share=0.3,
    showcase_assessments=8,
    showcase_exercises=18,
)
PAGES = (
    "dashboard",
    "dashboard_specialist",
    "client_list",
    "client_list_later_page",
    "client_search",
    "client_detail",
    "assessment",
    "program",
    "portal",
    "portal_session",
    "share_landing",
    "pdf_download",
)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Both sizes, seeded once and rolled back when the module is done."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        small, _ = seed(SMALL)
        large, _ = seed(LARGE)
        for world in (small, large):  # the assessment page shows its four posture photos
            ensure_photos(world.showcase_assessment, by=world.owner, size=(320, 240))
        yield small, large
        transaction.set_rollback(True)


def page(world, name: str):
    """(url, user) of a page in a seeded world."""
    owner, version = world.owner, world.showcase_version
    client_list = reverse("clients:list")
    if name.startswith("dashboard"):
        try:
            return reverse("dashboard"), owner if name == "dashboard" else world.specialist
        except NoReverseMatch:
            pytest.skip("no dashboard page in this checkout yet")
    return {
        "client_list": (client_list, owner),
        "client_list_later_page": (f"{client_list}?page=3", owner),
        "client_search": (client_list, owner),  # the search is posted first: see counts()
        "client_detail": (reverse("clients:detail", args=[world.showcase.pk]), owner),
        "assessment": (reverse("assessments:detail", args=[world.showcase_assessment.pk]), owner),
        "program": (reverse("programs:version", args=[version.pk]), owner),
        "portal": (reverse("portal:home"), world.portal_user),
        "portal_session": (reverse("portal:plan", args=[version.pk]), world.portal_user),
        "share_landing": (reverse("portal:shared_plan", args=[share_token(world)]), None),
        "pdf_download": (reverse("programs:download", args=[version.pk]), owner),
    }[name]


def share_token(world) -> str:
    """A share link of the showcase plan (a bearer's page: nobody signs in)."""
    _, token = sharing.create_share_link(world.showcase_version, by=world.owner)
    return token


def queries(client, url: str) -> list[str]:
    client.get(url)  # the session's first request also stamps the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return [q["sql"][:90] for q in captured.captured_queries]


def counts(client, worlds, name: str) -> tuple[list[str], list[str]]:
    """The queries of one page in the small and in the larger practice."""
    found = []
    for world in worlds:
        url, user = page(world, name)
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        if name == "client_search":
            # The search words are posted and kept in the session; the results have a key.
            url = client.post(url, {"q": SHOWCASE_LAST_NAME[:6]})["Location"]
        found.append(queries(client, url))
    return found[0], found[1]


@pytest.mark.parametrize("name", PAGES)
def test_page_query_count_is_the_same_at_both_sizes(db, client, settings, worlds, name):
    settings.CLIENT_LIST_PAGE_SIZE = 5  # the larger practice has 13 pages, the small one 1
    small, large = counts(client, worlds, name)
    listing = "\n".join(large)
    assert len(small) == len(large), f"{name}: {len(small)} with 4 clients, at 61:\n{listing}"


@pytest.mark.parametrize("name", PAGES)
def test_page_stays_within_the_query_budget(db, client, settings, worlds, name):
    settings.CLIENT_LIST_PAGE_SIZE = 5
    _, large = counts(client, worlds, name)
    listing = "\n".join(large)
    assert len(large) <= QUERY_LIMIT, f"{name}: {len(large)} queries (at most 10):\n{listing}"


def test_the_sizes_differ_where_the_pages_look(db, worlds):
    small, large = worlds
    assert large.showcase.assessments.count() > small.showcase.assessments.count()
    assert sum(p.items.count() for p in large.showcase_version.phases.all()) >= 18
    assert sum(p.items.count() for p in small.showcase_version.phases.all()) < 18
    assert large.practice.clients.count() > 10 * small.practice.clients.count()


def test_plan_data_takes_the_same_queries_whatever_the_exercises(db, worlds):
    counts = []
    for world in worlds:
        version = get_version_for(world.owner, world.showcase_version.pk)
        with CaptureQueriesContext(connection) as captured:
            client_plan_for(version)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= QUERY_LIMIT


def test_seeding_is_idempotent_and_audited(db, worlds):
    small, _ = worlds
    again, made = seed(SMALL)
    assert not made
    assert again.practice == small.practice
    client = small.practice.clients.exclude(pk=small.showcase.pk).first()
    created = client.history.get()
    assert created.history_type == "+"
    assert created.history_user_id == client.specialist_id


def test_the_dashboard_stays_within_budget_when_it_counts_the_practice(db, client, worlds):
    from django.core.cache import cache

    _, large = worlds
    client.force_login(large.owner)
    client.get(reverse("dashboard"))  # the session's first request also stamps the session
    cache.clear()  # the practice's size is counted again on this request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    assert any("COUNT" in q["sql"] for q in captured.captured_queries)
    assert len(captured) <= QUERY_LIMIT
