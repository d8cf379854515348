"""factory-boy factories, one per model; related objects stay consistent."""

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from clients.models import Clearance, Client, Consent, Membership, Practice, Screening, User
from programs import services
from programs.models import (
    Download,
    Exercise,
    Invitation,
    PainAcknowledgement,
    Phase,
    Program,
    ProgramExercise,
    ProgramVersion,
    SessionLog,
    ShareLink,
)

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


class TechNeckFactory(factory.django.DjangoModelFactory):
    """The tech-neck section of a forward head: a craniovertebral angle of 44 degrees."""

    class Meta:
        model = "assessments.TechNeck"

    assessment = factory.SubFactory(AssessmentFactory)
    cva_deg = 44


# --- Programs, built row by row (the services below build them as the app does) -------------


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    client = factory.SubFactory(ClientFactory)
    created_by = factory.LazyAttribute(lambda p: p.client.specialist)


class ProgramVersionFactory(factory.django.DjangoModelFactory):
    """A draft version with no phases; `published=True` makes it a published one (no PDF)."""

    class Meta:
        model = ProgramVersion

    class Params:
        published = factory.Trait(
            status=ProgramVersion.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
            published_by=factory.SelfAttribute("created_by"),
        )

    program = factory.SubFactory(ProgramFactory)
    number = factory.LazyAttribute(lambda v: v.program.versions.count() + 1)
    assessment = factory.SubFactory(
        AssessmentFactory, client=factory.SelfAttribute("..program.client")
    )
    ruleset = factory.LazyFunction(lambda: services.current_ruleset()[0])
    population = "adult"
    draft = factory.LazyFunction(dict)
    starts_on = factory.LazyFunction(timezone.localdate)
    retest_on = factory.LazyAttribute(lambda v: v.starts_on + timedelta(weeks=6))
    created_by = factory.LazyAttribute(lambda v: v.program.created_by)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    version = factory.SubFactory(ProgramVersionFactory)
    key = "inhibit"
    title = "Release"
    position = factory.LazyAttribute(lambda p: p.version.phases.count())
    weeks = factory.LazyFunction(lambda: [1, 2])
    sessions_per_week = 3


class ProgramExerciseFactory(factory.django.DjangoModelFactory):
    """An item of a phase: the first library exercise of the phase's kind, frozen as in a plan."""

    class Meta:
        model = ProgramExercise

    phase = factory.SubFactory(PhaseFactory)
    exercise = factory.LazyAttribute(
        lambda i: Exercise.objects.filter(phase=i.phase.key).first() or Exercise.objects.first()
    )
    name = factory.LazyAttribute(lambda i: i.exercise.name)
    cues = factory.LazyAttribute(lambda i: i.exercise.cues)
    tags = factory.LazyAttribute(lambda i: i.exercise.tags)
    position = factory.LazyAttribute(lambda i: i.phase.items.count())
    sets = 2
    reps = 10


class SessionLogFactory(factory.django.DjangoModelFactory):
    """A session the client logged today, with no pain rating and no note."""

    class Meta:
        model = SessionLog

    version = factory.SubFactory(ProgramVersionFactory, published=True)
    done_on = factory.LazyFunction(timezone.localdate)


class PainAcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainAcknowledgement

    session = factory.SubFactory(SessionLogFactory, pain=7)
    acknowledged_by = factory.LazyAttribute(lambda a: a.session.version.program.client.specialist)
    note = "Called the client."


class InvitationFactory(factory.django.DjangoModelFactory):
    """A portal invitation being sent (the state it is recorded in)."""

    class Meta:
        model = Invitation

    client = factory.SubFactory(ClientFactory)
    sent_by = factory.LazyAttribute(lambda i: i.client.specialist)


class ShareLinkFactory(factory.django.DjangoModelFactory):
    """An active link; its token is `token` (sharing.create_share_link gives a random one)."""

    class Meta:
        model = ShareLink
        exclude = ("token",)

    version = factory.SubFactory(ProgramVersionFactory, published=True)
    token = factory.Sequence(lambda n: f"token-{n}")
    token_sha256 = factory.LazyAttribute(lambda s: hashlib.sha256(s.token.encode()).hexdigest())
    created_by = factory.LazyAttribute(lambda s: s.version.created_by)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class DownloadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Download

    version = factory.SubFactory(ProgramVersionFactory, published=True)
    channel = Download.Channel.SPECIALIST
    user = factory.LazyAttribute(lambda d: d.version.created_by)


# --- Plans built through the real services -------------------------------------------------


def forward_head_assessment(client, *, assessed_on=None, cva=44, cleared=False):
    """A consented client's assessment (today unless `assessed_on`) with a forward head;
    `cleared` adds a clearance of the assessment's day."""
    assessed_on = assessed_on or timezone.localdate()
    ConsentFactory(client=client)
    if cleared:
        ClearanceFactory(client=client, cleared_on=assessed_on)
    assessment = AssessmentFactory(client=client, assessed_on=assessed_on)
    TechNeckFactory(assessment=assessment, cva_deg=cva)
    return assessment


def draft_program(client, by, *, starts_on=None, **assessment) -> ProgramVersion:
    """The engine's draft for a forward-head assessment (see forward_head_assessment)."""
    return services.generate_program(
        forward_head_assessment(client, **assessment), by=by, on=starts_on
    )


def published_program(client, by, *, starts_on=None, **assessment) -> ProgramVersion:
    """A published plan (its PDF rendered) from a forward-head assessment, as the app makes it."""
    return services.publish(draft_program(client, by, starts_on=starts_on, **assessment), by=by)
