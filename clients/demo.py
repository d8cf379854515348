"""The demo practice: what a new user sees after `make run`."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .guardian import GIVEN_BY_GUARDIAN
from .models import Client, Consent, Membership, Practice, Screening, User
from .population import add_years

PRACTICE_NAME = "Realign Demo Studio"
ADMIN_USERNAME = "admin"
DEMO_USERS = [
    ("owner", "practice owner"),
    ("specialist", "specialist"),
    (ADMIN_USERNAME, "staff: the Django admin at /admin/, not a practice member"),
]


def _user(username: str, first: str, last: str, role: str, practice: Practice) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    if created:
        user.set_password(settings.REALIGN_DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, defaults={"practice": practice, "role": role})
    return user


def _admin() -> User:
    """The staff account for the Django admin (library and rules); no practice membership."""
    user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "first_name": "Demo",
            "last_name": "Admin",
            "email": f"{ADMIN_USERNAME}@example.com",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        user.set_password(settings.REALIGN_DEMO_PASSWORD)
        user.save()
    return user


def demo_clients(practice: Practice):
    """The demo's own clients in the practice: the five it defines, not any client a user
    added to the demo practice since."""
    names = Q(pk__in=[])
    for spec in _clients(timezone.localdate(), owner=None, colleague=None):
        names |= Q(first_name=spec["first_name"], last_name=spec["last_name"])
    return Client.objects.filter(practice=practice).filter(names)


def _clients(today: date, owner: User, colleague: User) -> list[dict]:
    # Dates are relative to today so that each demo client stays in their population.
    return [
        {
            "first_name": "Maya",
            "last_name": "Okafor",
            "sex": "female",
            "birth_date": add_years(today, -14) - timedelta(days=100),
            "goals": "Play netball without knee pain; better posture at school.",
            "specialist": owner,
            "parq_yes": [],
        },
        {
            "first_name": "Daniel",
            "last_name": "Reyes",
            "sex": "male",
            "birth_date": add_years(today, -34) - timedelta(days=40),
            "goals": "Less neck stiffness after long days at the computer.",
            "specialist": owner,
            "parq_yes": [],
        },
        {
            "first_name": "Margaret",
            "last_name": "Lindqvist",
            "sex": "female",
            "birth_date": add_years(today, -72) - timedelta(days=200),
            "goals": "Stay steady on her feet and keep gardening.",
            "specialist": colleague,
            "parq_yes": [],
        },
        {
            "first_name": "Sofia",
            "last_name": "Marchetti",
            "sex": "female",
            "birth_date": add_years(today, -31) - timedelta(days=15),
            "delivery_date": today - timedelta(weeks=10),
            "delivery_type": "vaginal",
            "previous_births": 1,
            "goals": "Rebuild core strength after her second baby and return to running.",
            "specialist": colleague,
            "parq_yes": [],
        },
        {
            "first_name": "Henry",
            "last_name": "Walsh",
            "sex": "male",
            "birth_date": add_years(today, -52) - timedelta(days=300),
            "goals": "Get back to hiking after a winter off.",
            "specialist": owner,
            "parq_yes": [1, 5],
        },
    ]


# The youth client is under 18: her consent is given with her mother's (clients/guardian.py).
DEMO_GUARDIAN = {
    "Maya": {"guardian_name": "Grace Okafor", "guardian_relationship": "mother"},
}


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create (or leave as they are) the demo practice, users and clients."""
    today = timezone.localdate()
    practice, _ = Practice.objects.get_or_create(name=PRACTICE_NAME)
    owner = _user("owner", "Olivia", "Grant", Membership.Role.OWNER, practice)
    colleague = _user("specialist", "Sam", "Patel", Membership.Role.SPECIALIST, practice)
    _admin()
    created = 0
    for spec in _clients(today, owner, colleague):
        parq_yes = spec.pop("parq_yes")
        client, was_created = Client.objects.get_or_create(
            practice=practice,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            defaults=spec,
        )
        created += was_created
        if not client.screenings.exists():
            Screening.objects.create(
                client=client,
                screened_on=today - timedelta(days=7),
                recorded_by=client.specialist,
                **{f"q{n}": True for n in parq_yes},
            )
        guardian = DEMO_GUARDIAN.get(client.first_name)
        consents = client.consents.filter(GIVEN_BY_GUARDIAN) if guardian else client.consents
        # Also on a demo database seeded before guardians' consents were recorded.
        if not consents.exists():
            Consent.objects.create(
                client=client,
                consented_on=today - timedelta(days=7),
                agreed="Assessments, records and program design, as explained in the session.",
                recorded_by=client.specialist,
                **(guardian or {}),
                **({"guardian_consented_on": today - timedelta(days=7)} if guardian else {}),
            )
    return {"clients": demo_clients(practice).count(), "created": created}
