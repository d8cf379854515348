from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from clients.population import Population, add_months, add_years, population_on
from tests.factories import ClientFactory, ConsentFactory, ScreeningFactory


def listed(response) -> list[str]:
    return [c.full_name for c in response.context["page"]]


def search(user_client, **form):
    """Post the list's search form and follow it to the results, as the browser does."""
    return user_client.post(reverse("clients:list"), form, follow=True)


def test_search_by_name_finds_first_and_last_name(as_user, specialist_user):
    ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")
    ClientFactory(specialist=specialist_user, first_name="Bruno", last_name="Anders")
    ClientFactory(specialist=specialist_user, first_name="Carla", last_name="Mendes")
    response = search(as_user(specialist_user), q="an")
    assert sorted(listed(response)) == ["Ana Silva", "Bruno Anders"]
    response = search(as_user(specialist_user), q="silva ana")
    assert listed(response) == ["Ana Silva"]


def test_the_searched_name_never_appears_in_a_url(as_user, specialist_user):
    ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silvaquist")
    response = search(as_user(specialist_user), q="Silvaquist", population="adult")
    ((url, _status),) = response.redirect_chain
    assert "Silvaquist" not in url
    assert "population=adult" in url  # the other filters, which hold no name, stay in it
    assert listed(response) == ["Ana Silvaquist"]
    assert 'method="post"' in response.text


def test_a_search_pages_through_its_results(as_user, specialist_user, settings):
    settings.CLIENT_LIST_PAGE_SIZE = 2
    for n in range(5):
        ClientFactory(specialist=specialist_user, first_name=f"Maria{n}", last_name="Pinto")
    ClientFactory(specialist=specialist_user, first_name="Carla", last_name="Mendes")
    user = as_user(specialist_user)
    first = search(user, q="pinto")
    url = first.redirect_chain[-1][0]
    assert f'href="{url[url.index("?") :]}&amp;page=2"' in first.text  # the "Next" link
    last = user.get(f"{url}&page=3")
    assert len(listed(last)) == 1
    assert "Page 3 of 3" in last.text
    assert all(name.endswith("Pinto") for name in listed(last))


def test_two_searches_keep_their_own_results(as_user, specialist_user):
    ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")
    ClientFactory(specialist=specialist_user, first_name="Bruno", last_name="Anders")
    user = as_user(specialist_user)
    silva = search(user, q="silva").redirect_chain[-1][0]
    search(user, q="bruno")  # another tab
    assert listed(user.get(silva)) == ["Ana Silva"]


def test_an_unknown_search_key_shows_the_whole_list(as_user, specialist_user):
    ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")
    response = as_user(specialist_user).get(reverse("clients:list"), {"search": "nope"})
    assert listed(response) == ["Ana Silva"]


def test_a_name_in_the_query_string_is_not_a_search(as_user, specialist_user):
    ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")
    ClientFactory(specialist=specialist_user, first_name="Bruno", last_name="Anders")
    response = as_user(specialist_user).get(reverse("clients:list"), {"q": "silva"})
    assert sorted(listed(response)) == ["Ana Silva", "Bruno Anders"]


def test_filter_by_population(as_user, specialist_user):
    today = timezone.localdate()
    ClientFactory(specialist=specialist_user, first_name="Young", birth_date=add_years(today, -12))
    ClientFactory(specialist=specialist_user, first_name="Old", birth_date=add_years(today, -75))
    ClientFactory(
        specialist=specialist_user,
        first_name="New",
        last_name="Mother",
        birth_date=add_years(today, -30),
        delivery_date=today - timedelta(weeks=8),
        delivery_type="vaginal",
    )
    response = as_user(specialist_user).get(reverse("clients:list"), {"population": "senior"})
    assert [c.first_name for c in response.context["page"]] == ["Old"]
    response = as_user(specialist_user).get(reverse("clients:list"), {"population": "postpartum"})
    assert [c.first_name for c in response.context["page"]] == ["New"]


def test_population_badge_is_shown_in_the_list(as_user, specialist_user):
    today = timezone.localdate()
    ClientFactory(specialist=specialist_user, birth_date=add_years(today, -12))
    text = as_user(specialist_user).get(reverse("clients:list")).text
    assert "badge-population-youth" in text


@pytest.mark.django_db
@pytest.mark.parametrize("population", list(Population))
def test_population_filter_agrees_with_population_on_at_every_boundary(specialist_user, population):
    on = date(2026, 11, 24)
    birth_dates = [
        add_years(on, -years) + timedelta(days=shift)
        for years in (17, 18, 59, 60)
        for shift in (-1, 0, 1)
    ]
    delivery_dates = (
        [None]
        + [add_months(on, -12) + timedelta(days=shift) for shift in (-1, 0, 1)]
        + [on, on + timedelta(days=1)]
    )
    for birth_date in birth_dates:
        for delivery_date in delivery_dates:
            ClientFactory(
                specialist=specialist_user,
                birth_date=birth_date,
                delivery_date=delivery_date,
                delivery_type="vaginal" if delivery_date else "",
            )
    scoped = Client.objects.for_user(specialist_user)
    expected = {
        c.pk for c in scoped if population_on(c.birth_date, c.delivery_date, on) == population
    }
    assert set(scoped.in_population(population, on=on).values_list("pk", flat=True)) == expected


def test_filter_clients_needing_clearance(as_user, specialist_user):
    flagged = ClientFactory(specialist=specialist_user, first_name="Flagged")
    ScreeningFactory(client=flagged, q1=True)
    ScreeningFactory(client=ClientFactory(specialist=specialist_user, first_name="Clear"))
    response = as_user(specialist_user).get(reverse("clients:list"), {"flag": "clearance"})
    assert [c.first_name for c in response.context["page"]] == ["Flagged"]


def test_list_is_sorted_by_last_activity(as_user, specialist_user):
    now = timezone.now()
    ClientFactory(
        specialist=specialist_user, first_name="Old", last_activity_at=now - timedelta(days=9)
    )
    ClientFactory(specialist=specialist_user, first_name="Recent", last_activity_at=now)
    ClientFactory(
        specialist=specialist_user, first_name="Mid", last_activity_at=now - timedelta(days=2)
    )
    response = as_user(specialist_user).get(reverse("clients:list"))
    assert [c.first_name for c in response.context["page"]] == ["Recent", "Mid", "Old"]


def test_recording_a_screening_moves_the_client_up(as_user, specialist_user):
    now = timezone.now()
    stale = ClientFactory(
        specialist=specialist_user, first_name="Stale", last_activity_at=now - timedelta(days=30)
    )
    ClientFactory(
        specialist=specialist_user, first_name="Fresh", last_activity_at=now - timedelta(days=1)
    )
    as_user(specialist_user).post(
        reverse("clients:screening", args=[stale.pk]),
        {f"q{n}": "False" for n in range(1, 8)} | {"screened_on": "2026-11-20"},
    )
    response = as_user(specialist_user).get(reverse("clients:list"))
    assert [c.first_name for c in response.context["page"]][0] == "Stale"


def test_list_paginates(as_user, specialist_user, settings):
    settings.CLIENT_LIST_PAGE_SIZE = 2
    for _ in range(5):
        ClientFactory(specialist=specialist_user)
    response = as_user(specialist_user).get(reverse("clients:list"), {"page": 3})
    assert len(response.context["page"].object_list) == 1
    assert "Page 3 of 3" in response.text


def test_bad_page_number_shows_a_page_not_an_error(as_user, specialist_user):
    ClientFactory(specialist=specialist_user)
    response = as_user(specialist_user).get(reverse("clients:list"), {"page": "x'; drop"})
    assert response.status_code == 200


def list_queries(user_client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert user_client.get(reverse("clients:list")).status_code == 200
    return len(ctx.captured_queries)


def test_client_list_query_count_does_not_grow_with_clients(as_user, owner, specialist_user):
    signed_in = as_user(owner)
    ClientFactory(specialist=specialist_user)
    list_queries(signed_in)  # the session's first request also stamps the session
    one = list_queries(signed_in)
    for _ in range(30):
        client = ClientFactory(specialist=specialist_user)
        ScreeningFactory(client=client, q2=True)
        ConsentFactory(client=client)
    assert list_queries(signed_in) == one


def test_client_list_stays_within_query_budget(
    as_user, owner, specialist_user, django_assert_max_num_queries
):
    for _ in range(30):
        ScreeningFactory(client=ClientFactory(specialist=specialist_user))
    signed_in = as_user(owner)
    results = signed_in.post(reverse("clients:list"), {"flag": "clearance", "q": "a"})
    with django_assert_max_num_queries(8):
        signed_in.get(results["Location"])
