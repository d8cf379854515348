"""The seed_demo command: a demo practice with every population and real plans."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clients import guardian
from clients.models import Client, Membership, User
from clients.population import Population
from programs.models import ProgramVersion
from programs.sharing import frozen_pdf
from tests.factories import AssessmentFactory, ClientFactory


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


@pytest.mark.django_db
def test_seed_demo_creates_a_staff_account_for_the_admin_outside_the_practice(client):
    call_command("seed_demo")
    admin = User.objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser, admin.is_specialist) == (True, True, False)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_prints_the_admin_sign_in(settings):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "sign in as 'admin' (staff" in out.getvalue()
    assert repr(settings.REALIGN_DEMO_PASSWORD) in out.getvalue()


@pytest.mark.django_db
def test_the_summary_counts_only_the_demo_s_own_clients():
    call_command("seed_demo")
    owner = User.objects.get(username="owner")
    ClientFactory(specialist=owner)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo practice ready: 5 demo clients (0 new this run)" in out.getvalue()


@pytest.mark.django_db
def test_a_client_added_to_the_demo_practice_gets_no_demo_session_or_plan():
    call_command("seed_demo")
    owner = User.objects.get(username="owner")
    # Another "Maya", added and assessed by the user: the demo leaves her alone.
    added = ClientFactory(specialist=owner, first_name="Maya", last_name="Brennan")
    AssessmentFactory(client=added)
    call_command("seed_demo")
    assert added.assessments.count() == 1
    assert not added.programs.exists()
    assert not added.clearances.exists()


@pytest.mark.django_db
def test_the_demo_youth_client_has_her_guardian_s_consent():
    call_command("seed_demo")
    maya = Client.objects.get(first_name="Maya", last_name="Okafor")
    assert guardian.guardian_consent_missing(maya, timezone.localdate()) is None


@pytest.mark.django_db
def test_seed_demo_publishes_a_plan_for_each_client_with_an_assessment():
    call_command("seed_demo")
    published = ProgramVersion.objects.filter(status="published")
    assert published.count() == 4
    assert all(frozen_pdf(v) for v in published)
    call_command("seed_demo")
    assert ProgramVersion.objects.filter(status="published").count() == 4


@pytest.mark.django_db
def test_no_demo_plan_leaves_the_end_of_what_comes_next_on_a_page_alone():
    from programs.client_plans import client_plan_for
    from tests.pdf_reading import pdf_reader

    call_command("seed_demo")
    for version in ProgramVersion.objects.filter(status="published"):
        pages = [" ".join(p.extract_text().split()) for p in pdf_reader(frozen_pdf(version)).pages]
        last_line = " ".join(client_plan_for(version).next_steps[-1].split())
        heading_page = next(n for n, page in enumerate(pages) if "What comes next" in page)
        assert last_line in pages[heading_page], version
