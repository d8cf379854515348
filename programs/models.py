"""Programs: the exercise library and rule tables in the database, and client programs.

A program has versions. A draft version is edited; a published one is read-only, and
editing it starts a new draft version. Each version records the ruleset version and the
assessment it came from.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.models import Assessment
from clients.models import Client, ScopedQuerySet, User


class Exercise(models.Model):
    """One exercise of the library, loaded from programs/data/exercises/*.toml."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    phase = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)  # library order: keeps the version hash
    data = models.JSONField()  # the library record (library.as_record): targets, cues, tags...
    library_version = models.CharField(max_length=40)
    in_library = models.BooleanField(
        default=True, help_text="False once the exercise left the library files."
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The version stamp follows file loads; it is not an edit of the exercise.
    history = HistoricalRecords(excluded_fields=["library_version", "updated_at"])

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def tags(self) -> list[str]:
        return list(self.data.get("tags", []))

    @property
    def cues(self) -> list[str]:
        return list(self.data.get("cues", []))


class RulesetVersion(models.Model):
    """A frozen copy of the rule tables, profiles and safety rules: programs point at one."""

    version = models.CharField(max_length=60, unique=True)
    document = models.JSONField()  # the rule files' content, as parsed TOML
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    # The current version is the one activated last (a new file load or an admin edit,
    # including an edit that returns to an earlier content).
    activated_at = models.DateTimeField(default=timezone.now)
    files_loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-activated_at", "-id"]
        get_latest_by = ["activated_at", "id"]

    def __str__(self) -> str:
        return self.version


class RuleRow(models.Model):
    """One rule of a ruleset version, editable in the admin (an edit makes a new version)."""

    ruleset = models.ForeignKey(RulesetVersion, on_delete=models.CASCADE, related_name="rows")
    table = models.CharField(max_length=40)  # "rules/ohs.toml", "safety.toml"...
    rule_id = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=[("rule", "rule"), ("safety", "safety")])
    body = models.JSONField()  # the rule's table exactly as in the file

    class Meta:
        ordering = ["table", "rule_id"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "rule_id"], name="unique_rule_per_ruleset")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.ruleset.version})"


class ProgramQuerySet(ScopedQuerySet):
    """Programs of the clients the user may see (`for_user`, the clients' one door)."""


class Program(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="programs")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Program {self.pk} of {self.client}"


class ProgramVersionQuerySet(ScopedQuerySet):
    client_path = "program__client__"


class ProgramVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # RESTRICT: an assessment that a program came from is not deleted on its own (erasing
    # the whole client removes both). SET_NULL would rewrite versions behind the history.
    assessment = models.ForeignKey(
        Assessment, null=True, on_delete=models.RESTRICT, related_name="program_versions"
    )
    ruleset = models.ForeignKey(RulesetVersion, on_delete=models.PROTECT, related_name="+")
    population = models.CharField(max_length=20)
    draft = models.JSONField()  # the engine's output as generated (case-format draft)
    notes = models.TextField(blank=True, max_length=4000)
    starts_on = models.DateField()
    retest_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=1)  # optimistic locking for edits
    # The SHA-256 of the plan PDF frozen at publication (FrozenPlan holds the file): anyone
    # can check a copy, and the audit history records which file was published.
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["lock_version"])
    objects = ProgramVersionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_version_number"),
            # A publication date exactly when published, so either one can say "published".
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | Q(status="draft", published_at__isnull=True),
                name="version_published_has_a_date",
            ),
        ]
        # The dashboard's lists (bench/EXPLAIN.md): each reads its index in order and stops.
        indexes = [
            models.Index(fields=["status", "retest_on"], name="version_status_retest_idx"),
            models.Index(fields=["status", "-published_at"], name="version_status_published_idx"),
            models.Index(fields=["status", "-created_at"], name="version_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program} v{self.number} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FrozenPlan(models.Model):
    """The client's plan PDF of a published version, rendered once at publication: what the
    client downloads is exactly what was published.

    A table of its own: SQLite keeps a row's columns in one record, so a PDF of about 90 KB
    inside the version's row made every query reading the columns stored after it (the
    program, the author) walk the PDF's overflow pages, about 20 µs a version on the
    dashboard's lists (bench/EXPLAIN.md, section 9).
    """

    version = models.OneToOneField(
        ProgramVersion, primary_key=True, on_delete=models.CASCADE, related_name="frozen"
    )
    pdf = models.BinaryField(editable=False)

    def __str__(self) -> str:
        return f"Plan PDF of version {self.version_id}"


class Phase(models.Model):
    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=20)
    title = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    weeks = models.JSONField(default=list)  # [1, 2]
    sessions_per_week = models.PositiveSmallIntegerField()
    covers = models.JSONField(default=list, blank=True)
    criteria = models.TextField(blank=True)  # what the re-test must show before the next phase
    # The engine's word on a phase it left empty or short (a finding it could not address).
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class ProgramExerciseQuerySet(ScopedQuerySet):
    client_path = "phase__version__program__client__"


class ProgramExercise(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    # What the client reads is frozen with the version: a later library edit changes
    # new programs, not a plan already handed out.
    name = models.CharField(max_length=120)
    cues = models.JSONField(default=list)
    equipment = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_s = models.PositiveSmallIntegerField(null=True, blank=True)
    tempo = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True, max_length=1000)
    rules = models.JSONField(default=list, blank=True)  # rule ids that chose it
    findings = models.JSONField(default=list, blank=True)  # finding codes behind it
    why = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, max_length=1000, help_text="Why a safety exclusion was overridden."
    )

    # position moves in bulk when the specialist reorders; the order is not audited.
    history = HistoricalRecords(excluded_fields=["position"])
    objects = ProgramExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "position", "id"]

    def __str__(self) -> str:
        return f"{self.exercise} in {self.phase}"


class ShareLink(models.Model):
    """A revocable, expiring link to one published version's PDF. Only the token's hash is kept."""

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Link {self.pk} to {self.version}"

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    def state(self, now) -> ShareLink.State:
        """Revoked (whenever it expires), else expired from ``expires_at`` on, else active."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        return self.State.ACTIVE if now < self.expires_at else self.State.EXPIRED

    def is_usable(self, now) -> bool:
        return self.state(now) == self.State.ACTIVE


class Invitation(models.Model):
    """One portal invitation email: recorded before it is sent, then marked sent or not sent.

    The email goes out after the transaction that records it commits, so a slow or
    refusing mail server never holds the database; a "not sent" invitation can be sent again.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        NOT_SENT = "not_sent", "Not sent"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_status_display()})"


class Download(models.Model):
    """Who downloaded which plan, when, and through which door."""

    class Channel(models.TextChoices):
        PORTAL = "portal", "Client portal"
        LINK = "link", "Share link"
        SPECIALIST = "specialist", "Specialist"

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link = models.ForeignKey(
        ShareLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="downloads"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} download of {self.version} at {self.at:%Y-%m-%d %H:%M}"
        )


class SessionLog(models.Model):
    """A session the client did at home, ticked in the portal, with an optional pain rating."""

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="sessions")
    done_on = models.DateField()
    pain = models.PositiveSmallIntegerField(
        "Pain (0-10)", null=True, blank=True, help_text="0 = no pain, 10 = the worst pain."
    )
    note = models.TextField(blank=True, max_length=1000)
    # A warning sign the client ticked (client_plan.RED_FLAG_SIGNS): an alert like high pain.
    red_flag = models.BooleanField("Warning sign", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["version", "-done_on"]),
            # The dashboard's recent high pain ratings.
            models.Index(fields=["done_on", "pain"], name="session_recent_pain_idx"),
        ]

    def __str__(self) -> str:
        return f"Session of {self.done_on}"


class PainAcknowledgement(models.Model):
    """The specialist's answer to a session logged with high pain (adherence.pain_alert):
    an acknowledged session leaves the dashboard's attention list."""

    session = models.OneToOneField(
        SessionLog, on_delete=models.CASCADE, related_name="acknowledgement"
    )
    acknowledged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=1000)  # what the specialist did about it

    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_at", "-id"]

    def __str__(self) -> str:
        return f"Acknowledgement of {self.session}"
