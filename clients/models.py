"""People and practices: users, practices and their members, clients, screening and consent."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import clearance, parq
from .population import (
    POSTPARTUM_WINDOW_MONTHS,
    SENIOR_FROM_YEARS,
    YOUTH_UNDER_YEARS,
    Population,
    add_months,
    add_years,
    age_on,
    population_on,
)


class User(AbstractUser):
    """Anyone who signs in: a practice member (specialist or owner), a client, or staff."""

    # Kept in step with django-otp's TOTP devices by signals (core/two_factor.py): the
    # second-step middleware reads it from the user row instead of a query on every page.
    has_totp_device = models.BooleanField(default=False, editable=False)

    @property
    def is_specialist(self) -> bool:
        """A member of a practice, whatever the role."""
        return self._membership is not None

    @property
    def is_practice_owner(self) -> bool:
        return self._membership is not None and self._membership.role == Membership.Role.OWNER

    @property
    def is_portal_client(self) -> bool:
        """A client's own account: it reaches the portal and nothing else."""
        try:
            return self.client_profile is not None
        except Client.DoesNotExist:
            return False

    @property
    def practice(self) -> Practice | None:
        return self._membership.practice if self._membership else None

    @property
    def _membership(self) -> Membership | None:
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Practice(models.Model):
    """A studio or clinic: the group of specialists who share an owner."""

    name = models.CharField(max_length=120)
    logo = models.ImageField(
        upload_to="practice-logos/",
        blank=True,
        help_text="PNG or JPEG, shown on the plans the practice hands out.",
    )
    require_2fa = models.BooleanField(
        "Require two-factor sign-in",
        default=False,
        help_text="Every member must sign in with a code from an authenticator app.",
    )

    class UnitSystem(models.TextChoices):
        METRIC = "metric", "Metric (cm, kg, m)"
        US = "us", "US (in, lb, yd)"

    # Only the unit an empty measure field offers first: values are always stored metric
    # (assessments/measures.py), and any field can be switched to the other unit.
    unit_system = models.CharField(
        "Units offered first",
        max_length=10,
        choices=UnitSystem.choices,
        default=UnitSystem.METRIC,
        help_text="The unit an empty measure offers first on the assessment page; every "
        "measure can still be entered in the other unit, and is stored metric.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in a practice. One practice per user."""

    class Role(models.TextChoices):
        OWNER = "owner", "Practice owner"
        SPECIALIST = "specialist", "Specialist"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SPECIALIST)
    # Set when the owner deactivates the member (clients/members.py): the account can no
    # longer sign in, and the row stays so the practice keeps who signed its records.
    deactivated_at = models.DateTimeField(null=True, blank=True)

    # Role changes and deactivations are audited like client records.
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.practice})"


class MemberInvitation(models.Model):
    """The owner's invitation to join the practice as a specialist, by email.

    The invitee's account exists from the invitation on, without a usable password; the
    emailed one-time link sets it and makes the account a member (clients/members.py).
    The email leaves after the commit; a "not sent" invitation can be sent again.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        NOT_SENT = "not_sent", "Not sent"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="member_invitation")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the latest send attempt
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_status_display()})"


def client_scope(user, path: str = "") -> Q | None:
    """The one door to clients, as a filter on the client reached through `path`.

    The user's own clients, or the whole practice for its owner; None when the user may
    see no client. A join on the client row (not `client__in=<subquery>`), because SQLite
    materialises the whole practice's ids for every detail look-up.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    membership = getattr(user, "_membership", None)
    if membership is None:
        return None
    scope = Q(**{f"{path}practice_id": membership.practice_id})
    if membership.role != Membership.Role.OWNER:
        scope &= Q(**{f"{path}specialist_id": user.pk})
    return scope


class ScopedQuerySet(models.QuerySet):
    """Rows that belong to a client, seen through the clients' one door."""

    client_path = "client__"

    def for_user(self, user):
        """Rows of the clients the user may see."""
        scope = client_scope(user, self.client_path)
        return self.none() if scope is None else self.filter(scope)


class ClientQuerySet(ScopedQuerySet):
    client_path = ""

    def active(self) -> ClientQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ClientQuerySet:
        return self.filter(archived_at__isnull=False)

    def recent_first(self, *, archived: bool = False) -> ClientQuerySet:
        """Most recently active first (the lists' order). The active list also orders by
        ``archived_at``, NULL in each of its rows: to PostgreSQL's planner an ``IS NULL``
        is no equality, so without it client_list_idx cannot give the order and a
        50,000-client practice is read and sorted for one page (bench/EXPLAIN.md 8)."""
        order = ("-last_activity_at", "-id")
        return self.order_by(*order) if archived else self.order_by("archived_at", *order)

    def search(self, text: str) -> ClientQuerySet:
        """Clients whose first or last name (or both, in either order) match the words."""
        for word in text.split():
            self = self.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return self

    def in_population(self, population: str, *, on: date) -> ClientQuerySet:
        """The database form of population_on(); the precedence must match it exactly."""
        postpartum = Q(
            delivery_date__lte=on,
            delivery_date__gt=add_months(on, -POSTPARTUM_WINDOW_MONTHS),
        )
        # age_on(b, on) < 18  <=>  b > on - 18 years; age >= 60  <=>  b <= on - 60 years.
        youth = Q(birth_date__gt=add_years(on, -YOUTH_UNDER_YEARS))
        senior = Q(birth_date__lte=add_years(on, -SENIOR_FROM_YEARS))
        if population == Population.POSTPARTUM:
            return self.filter(postpartum)
        if population == Population.YOUTH:
            return self.filter(youth).exclude(postpartum)
        if population == Population.SENIOR:
            return self.filter(senior).exclude(postpartum)
        if population == Population.ADULT:
            return self.exclude(postpartum).exclude(youth).exclude(senior)
        return self.none()

    def needing_clearance(self) -> ClientQuerySet:
        """Clients whose latest screening calls for a medical clearance not yet recorded
        (``with_status``'s needs_clearance as a filter only: a list that shows names
        need not compute it again for each row it returns)."""
        return self.filter(clearance.clearance_due_exists())

    def with_status(self) -> ClientQuerySet:
        """Annotate needs_clearance and has_consent.

        needs_clearance is the SQL twin of ``clearance.clearance_due`` (a "yes" on the latest
        screening date, no clearance covering it). One EXISTS each: an annotation that
        refers to another repeats its SQL, and the list computes these for every row.
        """
        return self.annotate(
            needs_clearance=clearance.clearance_due_exists(),
            has_consent=Exists(Consent.objects.filter(client=OuterRef("pk"))),
        )


class Client(models.Model):
    """A person a specialist works with."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class DeliveryType(models.TextChoices):
        VAGINAL = "vaginal", "Vaginal"
        CAESAREAN = "caesarean", "Caesarean"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="clients")
    specialist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="clients")
    # The client's own sign-in for the portal, once invited.
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="client_profile"
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    birth_date = models.DateField()
    sex = models.CharField(
        max_length=10, choices=Sex.choices, help_text="Used to choose the norm tables."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    goals = models.TextField(blank=True, max_length=2000)
    notes = models.TextField(blank=True, max_length=4000)
    delivery_date = models.DateField(
        null=True, blank=True, help_text="Most recent delivery, if any."
    )
    delivery_type = models.CharField(max_length=10, choices=DeliveryType.choices, blank=True)
    previous_births = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Births before the most recent one."
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    # last_activity_at only sorts the list; it is not a change of the record.
    history = HistoricalRecords(excluded_fields=["last_activity_at"])
    objects = ClientQuerySet.as_manager()

    class Meta:
        # The list's filter and order, and for the owner's list the names the search reads,
        # so that the count, the pages and the search stay in the index (bench/EXPLAIN.md).
        indexes = [
            models.Index(
                fields=[
                    "practice",
                    "archived_at",
                    "-last_activity_at",
                    "-id",
                    "last_name",
                    "first_name",
                ],
                name="client_list_idx",
            ),
            models.Index(
                fields=["practice", "specialist", "archived_at", "-last_activity_at", "-id"],
                name="client_mine_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def population(self, on: date | None = None) -> Population:
        return population_on(self.birth_date, self.delivery_date, on or timezone.localdate())

    def age(self, on: date | None = None) -> int:
        return age_on(self.birth_date, on or timezone.localdate())

    def touch(self) -> None:
        """Mark activity now, so the client rises in the list."""
        self.last_activity_at = timezone.now()
        Client.objects.filter(pk=self.pk).update(last_activity_at=self.last_activity_at)


class Screening(models.Model):
    """A dated PAR-Q+ screening. Screenings are kept; the latest one decides the flag."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField(default=timezone.localdate)
    q1 = models.BooleanField("1", default=False, help_text=parq.QUESTIONS[1])
    q2 = models.BooleanField("2", default=False, help_text=parq.QUESTIONS[2])
    q3 = models.BooleanField("3", default=False, help_text=parq.QUESTIONS[3])
    q4 = models.BooleanField("4", default=False, help_text=parq.QUESTIONS[4])
    q5 = models.BooleanField("5", default=False, help_text=parq.QUESTIONS[5])
    q6 = models.BooleanField("6", default=False, help_text=parq.QUESTIONS[6])
    q7 = models.BooleanField("7", default=False, help_text=parq.QUESTIONS[7])
    notes = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        return f"PAR-Q+ of {self.screened_on}"

    @property
    def answers(self) -> dict[int, bool]:
        return {n: getattr(self, f"q{n}") for n in parq.QUESTIONS}

    @property
    def answer_rows(self) -> list[tuple[int, str, bool]]:
        """(number, question, answer) for each general question, in order."""
        return [(n, question, getattr(self, f"q{n}")) for n, question in parq.QUESTIONS.items()]

    @property
    def yes_numbers(self) -> list[int]:
        return parq.yes_numbers(self.answers)

    @property
    def positive(self) -> bool:
        return parq.needs_clearance(self.yes_numbers)


class Clearance(models.Model):
    """A physician's or physiotherapist's clearance to exercise, as recorded by the specialist."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="clearances")
    cleared_on = models.DateField(default=timezone.localdate)
    cleared_by = models.CharField(
        max_length=200, help_text="Who gave the clearance, e.g. 'Dr. A. Lee, GP'."
    )
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-cleared_on", "-id"]

    def __str__(self) -> str:
        return f"Clearance of {self.cleared_on} by {self.cleared_by}"


class Consent(models.Model):
    """Informed consent, recorded before any assessment can be saved."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    consented_on = models.DateField(default=timezone.localdate)
    agreed = models.TextField(
        max_length=2000, help_text="What the client agreed to (assessments, photos, data use)."
    )
    photos_in_plan = models.BooleanField(
        "Posture photos may appear in the client's own plan",
        default=False,
        help_text="Their before photo with its lines, in the plan PDF and portal they receive.",
    )
    # A client under 18 on the consent date also needs a parent or guardian's consent
    # (clients/guardian.py); blank for adults.
    guardian_name = models.CharField("Parent or guardian's name", max_length=200, blank=True)
    guardian_relationship = models.CharField(
        "Relationship to the client",
        max_length=80,
        blank=True,
        help_text="For example mother, father or legal guardian.",
    )
    guardian_consented_on = models.DateField(
        "Date of the parent or guardian's consent", null=True, blank=True
    )
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-consented_on", "-id"]

    def __str__(self) -> str:
        return f"Consent of {self.consented_on}"


class Submission(models.Model):
    """A create form's one-time token and what its first POST created (clients/submissions.py).

    A POST repeated after a lost response carries the same token and is led to the record
    already created instead of making a second one. The row goes with the client.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "token"], name="submission_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="submission_age_idx")]

    def __str__(self) -> str:
        return f"Submission {self.pk} ({self.content_type.model} {self.object_id})"
