"""factory-boy factories, one per model; related objects stay consistent."""

from datetime import date

import factory

from clients.models import Clearance, Client, Consent, Membership, Practice, Screening, User

PASSWORD = "correct-horse-battery-staple"
PHI_SENTINEL = "Phisentinel"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Studio {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(PracticeFactory)
    role = Membership.Role.SPECIALIST


def specialist(practice=None, *, role=Membership.Role.SPECIALIST) -> User:
    """A user who is a member of the practice (a new practice when none is given)."""
    practice = practice or PracticeFactory()
    return MembershipFactory(practice=practice, role=role).user


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    specialist = factory.LazyFunction(specialist)
    # The client belongs to their specialist's practice, always.
    practice = factory.LazyAttribute(lambda c: c.specialist.membership.practice)
    first_name = factory.Faker("first_name")
    # Every factory client carries the PHI sentinel, so that the whole suite can check that
    # no log record ever contains a client's name, email or notes (tests/conftest.py).
    last_name = factory.Sequence(lambda n: f"{PHI_SENTINEL}{n}")
    birth_date = date(1990, 5, 17)
    sex = Client.Sex.FEMALE
    email = factory.LazyAttribute(lambda c: f"{c.first_name.lower()}.{PHI_SENTINEL}@example.org")
    notes = f"Knee surgery 2019 ({PHI_SENTINEL})"


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    client = factory.SubFactory(ClientFactory)
    screened_on = date(2026, 11, 1)


class ClearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clearance

    client = factory.SubFactory(ClientFactory)
    cleared_on = date(2026, 11, 10)
    cleared_by = "Dr. A. Lee, GP"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    consented_on = date(2026, 11, 1)
    agreed = "Assessments and program design."


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Assessment"

    client = factory.SubFactory(ClientFactory)
    specialist = factory.LazyAttribute(lambda a: a.client.specialist)
    assessed_on = date(2026, 11, 20)
