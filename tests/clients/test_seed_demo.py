import pytest
from django.core.management import CommandError, call_command

from clients.models import Client, Membership, User
from clients.population import Population


@pytest.mark.django_db
def test_seed_demo_creates_every_population_and_a_positive_screening():
    call_command("seed_demo")
    clients = Client.objects.with_status()
    assert {c.population() for c in clients} == set(Population)
    assert sum(c.needs_clearance for c in clients) == 1


@pytest.mark.django_db
def test_seed_demo_creates_an_owner_and_a_second_specialist():
    call_command("seed_demo")
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"owner": "owner", "specialist": "specialist"}


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Client.objects.count(),
        Client.screenings.rel.model.objects.count(),
    )
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Client.objects.count(),
        Client.screenings.rel.model.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
