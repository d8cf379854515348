"""Reads that build the program pages: the dashboard's lists, a version's page, its history,
the re-run comparison, the swap candidate and the library. Writes are in programs.services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from assessments.models import Assessment
from clients.clearance import covering
from clients.models import Client
from core.audit import audit_rows

from . import adherence, sharing
from .browse import PHASE_TITLES, illustration, label
from .dose import dose_of, dose_text
from .library import PHASES
from .models import Exercise, Phase, Program, ProgramExercise, ProgramVersion, SessionLog
from .services import (
    ASSESSMENT_DELETED,
    VARIANTS,
    current_library,
    draft_for,
    draft_slugs,
    publish_check,
    safety_conflicts,
)

# --- The dashboard ---------------------------------------------------------------------------

LIMIT = 25

# What the lists show: the PDF blob (tens of KB) and the engine's draft stay in the database.
SHOWN = ("number", "status", "retest_on", "published_at", "created_at", "assessment_id")
SHOWN_CLIENT = ("program__client__first_name", "program__client__last_name")


class Unindexed(Func):
    """The column; on SQLite ``+column``, which stops the planner driving the query by the
    column's indexes (SQLite's documented hint; the value is unchanged)."""

    template = "%(expressions)s"
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


# Above this many clients, an owner's lists walk the status indexes (an engineering choice
# from bench/EXPLAIN.md, section 7: either way the lists are the same, only faster).
WIDE_PRACTICE = 2000


def _wide(user) -> bool:
    """The user sees a practice too large to start from its clients. The practice's size
    is counted (up to WIDE_PRACTICE + 1) once per ten minutes per process."""
    if not user.is_practice_owner:
        return False
    key = f"realign:practice-size:{user.practice.pk}"
    size = cache.get(key)
    if size is None:
        size = Client.objects.filter(practice_id=user.practice.pk)[: WIDE_PRACTICE + 1].count()
        cache.set(key, size, 600)
    return size > WIDE_PRACTICE


def _versions(user, status: str, *, by_status: bool = True):
    """Versions with ``status`` in the user's scope.

    The owner of a large practice sees all of it: the lists walk the status indexes in
    order and stop at LIMIT. A specialist sees their own clients, a few hundred at most,
    and a small practice's owner a few thousand: walking every plan of the database by
    status would read all of them (about 400 ms beside a 50,000-client chain), so the
    status is kept off the indexes and SQLite starts from the clients instead.
    """
    versions = ProgramVersion.objects.for_user(user)
    if by_status and _wide(user):
        return versions.filter(status=status)
    unindexed = Unindexed("status", output_field=CharField())
    return versions.alias(unindexed_status=unindexed).filter(unindexed_status=status)


def current_of(published):
    """Of the ``published`` versions, each program's newest one, for active clients: the
    plan a client follows now (the dashboard's lists and the reminders start here)."""
    newer = ProgramVersion.objects.filter(
        program=OuterRef("program"),
        status=ProgramVersion.Status.PUBLISHED,
        number__gt=OuterRef("number"),
    )
    return published.filter(program__client__archived_at__isnull=True).exclude(Exists(newer))


def retest_due(current, *, today: date):
    """Of the ``current`` versions, those due for a re-test: within a week (or past) and
    nobody has assessed the client since a week before it."""
    assessed_since = Assessment.objects.filter(
        client=OuterRef("program__client"),
        assessed_on__gte=OuterRef("retest_on") - timedelta(days=7),
    )
    return current.filter(retest_on__lte=today + timedelta(days=7)).exclude(Exists(assessed_since))


def _current(user, *, by_status: bool = True):
    """Each program's newest published version, for active clients in the user's scope
    (``by_status=False``: never walking the status index, see ``_versions``)."""
    return (
        current_of(_versions(user, ProgramVersion.Status.PUBLISHED, by_status=by_status))
        .select_related("program__client")
        .only(*SHOWN, *SHOWN_CLIENT)
    )


def attention(user, *, today: date) -> list[ProgramVersion]:
    """Plans with an unacknowledged warning sign or pain of 5+ in the last two weeks first
    (warning signs, then the worst pain), then
    plans quiet for two weeks (the most recently published first: clients slipping away
    early in a plan), at most LIMIT; each with its ``reasons`` and ``pain_alert``.

    Two narrow queries instead of one that computes every plan's last session: the pain
    list starts from the few recent high ratings, the quiet list walks the publication
    index and stops at LIMIT. Both are the SQL twins of ``adherence.needs_attention``.
    """
    sessions = SessionLog.objects.filter(version=OuterRef("pk")).order_by("-done_on")
    details = {
        "last_session": Subquery(sessions.values("done_on")[:1]),
        "recent_pain": Subquery(
            sessions.filter(
                done_on__gte=adherence.attention_since(today),
                pain__isnull=False,
                acknowledgement__isnull=True,
            )
            .order_by("-pain")
            .values("pain")[:1]
        ),
        "recent_flag": Exists(
            sessions.filter(
                done_on__gte=adherence.attention_since(today),
                red_flag=True,
                acknowledgement__isnull=True,
            )
        ),
    }
    painful = adherence.alerting_sessions(on=today)
    # Driven by the few recent alerting sessions: on SQLite the status is kept off its
    # index, or the planner walks every published plan of the database to match the list.
    in_pain = list(
        _current(user, by_status=False)
        .filter(pk__in=painful.values("version_id"))
        .annotate(**details)
        .order_by("-recent_flag", "-recent_pain", "last_session", "pk")[:LIMIT]
    )
    quiet = list(
        adherence.quiet(_current(user), on=today)
        .annotate(**details)
        .order_by("-published_at", "-pk")[:LIMIT]
    )
    seen = {version.pk for version in in_pain}
    listed = (in_pain + [v for v in quiet if v.pk not in seen])[:LIMIT]
    for version in listed:
        logged = [(version.last_session, version.recent_pain)] if version.last_session else []
        # recent_flag: a warning sign since attention_since(today), so today stands for it.
        flagged = [today] if version.recent_flag else []
        version.reasons = adherence.needs_attention(
            version.published_at.date(), logged, on=today, flagged=flagged
        )
        version.pain_alert = adherence.session_alert(version.recent_pain, version.recent_flag)
        version.acknowledge_what = " and ".join(
            words
            for words, alerting in (
                ("the warning sign", version.recent_flag),
                ("the pain rating", adherence.pain_alert(version.recent_pain)),
            )
            if alerting
        )
    return listed


def dashboard_lists(user, *, today: date) -> dict[str, Any]:
    """The dashboard's lists, each at most LIMIT long; all but ``attention`` are lazy."""
    current = _current(user)
    cleared_after_assessment = covering(
        OuterRef("program__client"), OuterRef("assessment__assessed_on")
    )
    drafts = _versions(user, ProgramVersion.Status.DRAFT).order_by("-created_at", "-pk")
    return {
        "due": retest_due(current, today=today).order_by("retest_on", "pk")[:LIMIT],
        "attention": attention(user, today=today),
        "waiting_drafts": drafts.filter(draft__referral__required=True)
        .exclude(Exists(cleared_after_assessment))
        .select_related("program__client", "assessment")
        .only(*SHOWN, *SHOWN_CLIENT, "assessment__assessed_on")[:LIMIT],
        "parq_waiting": Client.objects.for_user(user)
        .active()
        .needing_clearance()
        .only("first_name", "last_name")
        .recent_first()[:LIMIT],
        "recent": current.filter(
            published_at__gte=adherence.start_of_day_after(today - timedelta(days=15))
        ).order_by("-published_at", "-pk")[:LIMIT],
        "drafts": drafts.select_related("program__client").only(*SHOWN, *SHOWN_CLIENT)[:LIMIT],
    }


# --- A version's pages -------------------------------------------------------------------------


def version_page(version: ProgramVersion) -> dict[str, Any]:
    """What the version page shows besides its forms: phases, checks, rules, links, downloads."""
    items = Prefetch("items", ProgramExercise.objects.select_related("exercise"))
    excluded = version.draft.get("excluded", [])
    names = dict(
        Exercise.objects.filter(slug__in=[e["slug"] for e in excluded]).values_list("slug", "name")
    )
    return {
        "version": version,
        "client": version.program.client,
        "phases": list(version.phases.prefetch_related(items)),
        "check": publish_check(version),
        "excluded": [dict(e, name=names.get(e["slug"], e["slug"])) for e in excluded],
        "rules_fired": version.draft.get("rules_fired", []),
        "other_versions": version.program.versions.exclude(pk=version.pk).only(
            "number", "status", "published_at"
        ),
        "links": sharing.listed_links(version, now=timezone.now()),
        "downloads": version.downloads.select_related("user")[:20],
    }


def publish_confirmation(version: ProgramVersion) -> dict[str, Any]:
    """What the client will see once the version is published, for the confirmation page."""
    client = version.program.client
    phases = list(version.phases.prefetch_related("items"))
    return {
        "version": version,
        "client": client,
        "phases": phases,
        "exercise_count": sum(len(phase.items.all()) for phase in phases),
        "check": publish_check(version),
        "portal_account": client.user_id is not None,
        "earlier": version.program.versions.filter(status=ProgramVersion.Status.PUBLISHED).exists(),
    }


def program_history(program: Program) -> list:
    """The audit rows of a program, its versions, phases and exercises."""
    version_ids = list(program.versions.values_list("pk", flat=True))
    phase_ids = list(Phase.history.filter(version_id__in=version_ids).values_list("id", flat=True))
    groups = [
        ("Program", Program.history.filter(id=program.pk)),
        ("Version", ProgramVersion.history.filter(program_id=program.pk)),
        ("Phase", Phase.history.filter(version_id__in=version_ids)),
        ("Exercise in the program", ProgramExercise.history.filter(phase_id__in=set(phase_ids))),
    ]
    return audit_rows([(label, list(qs.select_related("history_user"))) for label, qs in groups])


# --- Swapping an exercise ----------------------------------------------------------------------


def swap_candidate(item: ProgramExercise, to: str) -> tuple[Exercise | None, list[str]]:
    """The library exercise ``to`` (regression or progression) of the item, or None when it
    has none, and the safety rules that exclude it for this client."""
    slug = item.exercise.data.get(to) if to in VARIANTS else None
    replacement = Exercise.objects.filter(slug=slug).first() if slug else None
    if replacement is None:
        return None, []
    return replacement, safety_conflicts(item.phase.version, replacement)


# --- Rules changed: what changes for this client? ----------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # "added" | "removed" | "changed"
    slug: str
    name: str
    phase: str
    before: str  # dose as read, "" when absent
    after: str
    rules: tuple[str, ...]  # the rules that put it there (or had put it there)


@dataclass(frozen=True)
class Rerun:
    ruleset_before: str
    ruleset_now: str
    changes: tuple[Change, ...]
    rules_added: tuple[str, ...]  # fired now, not before
    rules_dropped: tuple[str, ...]
    draft: dict


def rerun(version: ProgramVersion) -> Rerun:
    """Re-run the version's assessment under the current ruleset and compare the programs.

    Raises ValidationError when the assessment was deleted."""
    if version.assessment is None:
        raise ValidationError(ASSESSMENT_DELETED)
    now_version, draft = draft_for(version.assessment)
    before = {
        (phase.key, item.exercise.slug): (item, phase)
        for phase in version.phases.prefetch_related("items__exercise")
        for item in phase.items.all()
    }
    after = {
        (phase["key"], item["slug"]): (item, phase)
        for phase in draft["phases"]
        for item in phase["exercises"]
    }
    fired_before = {f["id"] for f in version.draft.get("rules_fired", [])}
    fired_now = {f["id"] for f in draft.get("rules_fired", [])}
    return Rerun(
        ruleset_before=version.ruleset.version,
        ruleset_now=now_version.version,
        changes=_changes(before, after, draft),
        rules_added=tuple(sorted(fired_now - fired_before)),
        rules_dropped=tuple(sorted(fired_before - fired_now)),
        draft=draft,
    )


def _changes(before: dict, after: dict, draft: dict) -> tuple[Change, ...]:
    """Exercises added, removed and with a changed dose, in that order, each sorted."""
    names = dict(Exercise.objects.filter(slug__in=draft_slugs(draft)).values_list("slug", "name"))
    changes: list[Change] = []
    for key in sorted(after.keys() - before.keys()):
        item, phase = after[key]
        name = names.get(key[1], key[1])
        rules = tuple(item.get("rules", []))
        changes.append(Change("added", key[1], name, phase["title"], "", dose_of(item), rules))
    for key in sorted(before.keys() - after.keys()):
        item, phase = before[key]
        rules = tuple(item.rules)
        changes.append(Change("removed", key[1], item.name, phase.title, dose_of(item), "", rules))
    for key in sorted(before.keys() & after.keys()):
        (old, phase), (new, _) = before[key], after[key]
        if dose_of(old) != dose_of(new):
            rules = tuple(new.get("rules", []))
            changes.append(
                Change("changed", key[1], old.name, phase.title, dose_of(old), dose_of(new), rules)
            )
    return tuple(changes)


# --- The exercise library ----------------------------------------------------------------------


def library_page(*, position: str = "", population: str = "") -> dict[str, Any]:
    """The library's exercises by phase, in session order, each row with its dose and drawing,
    and their count; only those in ``position`` and suiting ``population`` when given."""
    exercises = [
        e
        for e in current_library()
        if (not position or e.position == position)
        and (not population or population in e.populations)
    ]
    phases = []
    for phase in PHASES:
        rows = [
            {
                "exercise": e,
                "dose": dose_text(e.sets, e.reps, e.hold_s, e.tempo),
                "svg": illustration(e.slug, e.name),
                "position": label(e.position),
                "populations": ", ".join(sorted(e.populations)),
            }
            for e in exercises
            if e.phase == phase
        ]
        if rows:
            phases.append({"key": phase, "title": PHASE_TITLES[phase], "rows": rows})
    return {"phases": phases, "count": len(exercises)}


def adherence_log(client) -> QuerySet[SessionLog]:
    """Every session the client logged, on any version of any program, newest first, with
    the specialist's acknowledgement where there is one."""
    return (
        SessionLog.objects.filter(version__program__client=client)
        .select_related("acknowledgement")
        .order_by("-done_on", "-id")
    )
