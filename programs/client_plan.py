"""The plan a client reads, in plain words: the one content behind the portal and the PDF (pure).

``client_plan(version_data, client=...)`` turns a program version (the case-format draft's
findings and referral, its phases and exercises as saved) and a few facts about the client
(screenings, clearances) into a ``ClientPlan``. No database access here:
``programs.client_plans.client_plan_for`` reads a stored version and calls this.

Everything in a ClientPlan is written to the client ("you"): no muscle names, no source or
rule ids, no section signs. It holds, in reading order:

- ``found``: "What we found", one sentence per finding (``assessments.plain_words``);
- ``before``: "Before you start", exactly one of four states (``Readiness``);
- ``stages``: the session routine. The continuum (release, stretch, activate, put it
  together) is the order of the steps *within every session*; a stage is a run of weeks
  in which one session is done. Most plans have one stage; a profile whose phases have
  weeks that do not overlap (a restoration stage before loading) gives consecutive
  stages, each with its own weeks;
- ``checklist``: one weekly checklist for the whole plan, and ``next_steps``: when to add a
  step, move on, and come back for the re-test;
- ``safety``: when to stop and whom to contact;
- ``before_photo``: the client's posture photo from the assessment with its lines, only when
  their consent lets photos appear in their plan (described, never diagnosed);
- each exercise's ``illustration`` (the pose slug, None when it has no pose yet) and its
  ``alt`` text, which says what the body does (the pose's ``alt``; the first cues when there
  is no drawing).

Strings may come from people (names, notes): renderers escape them, this module never does.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from assessments.photo_overlay import Overlay, SvgMarkup, svg
from assessments.plain_words import plain_finding, plain_referral
from clients.clearance import clearance_due, covers, latest_yes

from .dose import dose_text

MAX_CUES = 3  # "two or three cues" a card shows; the library holds 2 to 4

# The continuum steps in the client's words: title and what the step is for.
STEPS: dict[str, tuple[str, str]] = {
    "inhibit": ("Release", "Ease tight spots with slow, steady pressure."),
    "lengthen": ("Stretch", "Stretch the same muscles gently, without bouncing."),
    "restore": (
        "Breathe, release and stretch",
        "Gentle breathing, release and stretches in positions that suit your body after the birth.",
    ),
    "activate": ("Activate", "Wake up the muscles that are not doing their share."),
    "integrate": ("Put it together", "Practise whole movements with good form."),
}

# Why an exercise is there when no finding asked for it (a general program).
STEP_WHY: dict[str, str] = {
    "inhibit": "To ease tight spots before you stretch.",
    "lengthen": "To give tight muscles back their length.",
    "restore": "To help your body recover gently after the birth.",
    "activate": "To strengthen muscles that most people use too little.",
    "integrate": "To practise everyday movements the way you have learned.",
}

# When to stop, for everyone, then by population. Urgent signs and postpartum symptoms:
# shared/domain/reference.md §9.3 ("Refer out": ACSM-Table2.2, BabyMed) and §7 (AdoreYourPF,
# Embody-RTR, Valetudo).
SAFETY_ALL = (
    "Stop the exercise and contact your specialist if it hurts, or if you feel dizzy or unwell.",
    "Seek urgent medical care (call your emergency number) for chest pain or pressure, "
    "fainting, sudden severe pain, or numbness or weakness.",
)
SAFETY_BY_POPULATION: dict[str, tuple[str, ...]] = {
    "postpartum": (
        "Stop and contact your specialist if you notice leakage, heaviness, dragging or a "
        "bulge in your pelvis, bleeding, or pain in your pelvis, back or scar.",
        "Breathe out as you make the effort; never hold your breath and bear down.",
    ),
    "senior": (
        "Keep a sturdy chair or counter within reach for every standing exercise.",
        "If you feel unsteady or short of breath, stop and sit down.",
    ),
    "youth": (
        "Tell your specialist or a parent about pain around the knees, heels or hips, a "
        "limp, or pain at night.",
    ),
}

# The answer to a session logged with pain that raises an alert (adherence.pain_alert).
# The warning signs that call for urgent care: the advice says them, the session form asks.
RED_FLAG_SIGNS = "chest pain or pressure, fainting, sudden severe pain, or numbness or weakness"
PAIN_ADVICE = (
    "Stop the exercise that hurt, and do not do it again until you have talked to your specialist.",
    "Contact your specialist: they can see your rating and will get in touch.",
    f"Seek urgent medical care (call your emergency number) for {RED_FLAG_SIGNS}.",
)


class Readiness(StrEnum):
    """The one state of "Before you start"."""

    CLEAR = "clear"  # screened, nothing to discuss with a physician
    CLEARED = "cleared"  # what needed a physician has been cleared (by whom, when)
    SEE_PHYSICIAN = "see_physician"  # talk to a physician first, about ``topics``
    SCREENING_NEEDED = "screening_needed"  # never screened: the questionnaire comes first


@dataclass(frozen=True)
class ClearanceFact:
    cleared_on: date
    cleared_by: str


@dataclass(frozen=True)
class ClientFacts:
    """What the plan needs to know about the client and the people around the plan."""

    first_name: str
    practice: str
    specialist: str
    population: str  # youth | adult | senior | postpartum
    screenings: tuple[tuple[date, tuple[int, ...]], ...] = ()  # (day, questions answered yes)
    clearances: tuple[ClearanceFact, ...] = ()


@dataclass(frozen=True)
class BeforeYouStart:
    state: Readiness
    heading: str
    lines: tuple[str, ...]  # the paragraph(s), in order
    topics: tuple[str, ...] = ()  # SEE_PHYSICIAN: what to talk about (a list); else what was
    cleared_by: str = ""  # CLEARED only
    cleared_on: date | None = None  # CLEARED only


@dataclass(frozen=True)
class ExerciseCard:
    slug: str
    name: str  # the client's name of the exercise (a muscle in parentheses left out)
    dose: str  # dose.dose_text: "2 × 12 reps, tempo 4/2/2"
    cues: tuple[str, ...]  # two or three
    why: str  # one sentence: "For the way your knees move inward when you squat."
    illustration: str | None  # the pose slug, None while the exercise has no pose
    alt: str  # what the body does: the pose's alt, or the first cues without a drawing
    equipment: tuple[str, ...] = ()
    note: str = ""  # the specialist's note on this exercise


@dataclass(frozen=True)
class Step:
    key: str  # inhibit | lengthen | restore | activate | integrate | a profile's own
    title: str  # "Release"
    purpose: str  # one sentence
    weeks: tuple[int, int]
    exercises: tuple[ExerciseCard, ...]
    joins_in_week: int | None = None  # a step that starts after its stage: "from week 3"


@dataclass(frozen=True)
class Stage:
    number: int
    weeks: tuple[int, int]
    sessions_per_week: int
    steps: tuple[Step, ...]  # in session order

    @property
    def title(self) -> str:
        return f"Weeks {self.weeks[0]} to {self.weeks[1]}"

    def steps_in_week(self, week: int) -> tuple[Step, ...]:
        """The steps of a session in ``week`` (a step joining later is left out before it)."""
        return tuple(s for s in self.steps if s.weeks[0] <= week <= s.weeks[1] and s.exercises)


@dataclass(frozen=True)
class ChecklistWeek:
    number: int
    starts_on: date
    sessions: int  # boxes to tick
    stage: int


@dataclass(frozen=True)
class BeforePhoto:
    """The client's own photo from the plan's assessment with its lines, shown only when
    their consent lets photos appear in their plan; described, never diagnosed."""

    heading: str
    lines: tuple[str, ...]
    image: bytes  # the stored JPEG (for the PDF)
    thumbnail: bytes  # the small JPEG (for the portal page, as a data: address)
    overlay: Overlay
    alt: str

    @property
    def thumbnail_src(self) -> str:
        """The thumbnail as a data: address (the CSP allows data: images), no photo URL."""
        return "data:image/jpeg;base64," + base64.b64encode(self.thumbnail).decode("ascii")

    @property
    def overlay_svg(self) -> SvgMarkup:
        """The lines as an <svg> to lay over the thumbnail (viewBox in photo pixels); every
        text escaped, so the portal's template shows it as it is."""
        classes = "position-absolute top-0 start-0 w-100 h-100 pe-none"
        return svg(self.overlay, css_class=classes)


PHOTO_HEADING = "Your posture at the start"
PHOTO_RETEST = (
    "We will take the same photo at your re-test, so that you can see for yourself how "
    "your posture changes."
)


def before_photo(
    *,
    view: str,
    taken_on: date | None,
    cva: float | None,
    image: bytes,
    thumbnail: bytes,
    overlay: Overlay,
) -> BeforePhoto:
    """The before photo in the client's words: what the lines show, no verdict on it.
    ``view`` is side, front or back; ``cva`` the angle of a side photo, when measured."""
    when = f" at your assessment on {_day(taken_on)}" if taken_on else " at your assessment"
    lines = [f"This photo of you was taken{when}."]
    if view == "side" and cva is not None:
        lines += [
            "The yellow line runs from the base of your neck to your ear, and the dashed line "
            f"is level. The angle between them was {cva:.0f}°.",
            "The more upright your head sits over your shoulders, the larger this angle gets.",
        ]
        alt = f"Side photo of you with a line from your neck to your ear, at {cva:.0f}°."
    else:
        lines.append(
            "The lines join your shoulders, your hips and your knees; the dashed lines beside "
            "them are level, so you can see how each pair sits."
        )
        alt = "Photo of you from the front, with lines across your shoulders, hips and knees."
    lines.append(PHOTO_RETEST)
    return BeforePhoto(PHOTO_HEADING, tuple(lines), image, thumbnail, overlay, alt)


@dataclass(frozen=True)
class ClientPlan:
    title: str  # "Your exercise plan"
    document_title: str  # "Exercise plan for Ana, 3 March 2026": PDF metadata, page title
    first_name: str
    practice: str
    specialist: str
    population: str
    version: int
    published_on: date | None
    starts_on: date
    retest_on: date
    found: tuple[str, ...]
    before: BeforeYouStart
    stages: tuple[Stage, ...]
    checklist: tuple[ChecklistWeek, ...]
    next_steps: tuple[str, ...]
    safety: tuple[str, ...]
    specialist_note: str = ""  # the version's note, written by the specialist
    dose_help: tuple[str, ...] = ()  # how to read a dose ("tempo 4/2/2"), when one needs it
    steps_overview: tuple[str, ...] = field(default=())  # "Release", "Stretch"... in order
    before_photo: BeforePhoto | None = None  # only with the client's consent to photos

    @property
    def exercises(self) -> tuple[ExerciseCard, ...]:
        """Every exercise of the plan once, in session order."""
        return tuple(
            card for stage in self.stages for step in stage.steps for card in step.exercises
        )

    def week_of(self, day: date) -> int:
        """The plan week ``day`` falls in (1 before the start, the last week after the end)."""
        last = self.checklist[-1].number if self.checklist else 1
        return min(max(1, (day - self.starts_on).days // 7 + 1), last)

    def session_on(self, day: date) -> tuple[Stage | None, tuple[Step, ...]]:
        """The stage and the session's steps for ``day``."""
        week = self.week_of(day)
        for stage in self.stages:
            if stage.weeks[0] <= week <= stage.weeks[1]:
                return stage, stage.steps_in_week(week)
        return (self.stages[-1], self.stages[-1].steps_in_week(week)) if self.stages else (None, ())


# A parenthesis that names what the specialist targets: "(posterior tibialis)".
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")


def client_name(name: str, specialist_terms: Iterable[str]) -> str:
    """The exercise's name without a parenthesis that holds a specialist's term."""
    terms = [t.lower() for t in specialist_terms]

    def keep(match: re.Match) -> str:
        inside = match.group(1).lower()
        return (
            "" if any(re.search(rf"\b{re.escape(t)}\b", inside) for t in terms) else match.group(0)
        )

    return _PARENTHESIS.sub(keep, name).strip()


def _why(step_key: str, findings: Iterable[str]) -> str:
    reasons: list[str] = []
    for code in findings:
        plain = plain_finding(code)
        if plain is not None and plain.reason not in reasons:
            reasons.append(plain.reason)
    if not reasons:
        return STEP_WHY.get(step_key, "To help you move well.")
    # One short sentence: the first finding the exercise answers (the rule order).
    return f"For {reasons[0]}."


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _before(referral_reasons: Sequence[str], assessed_on: date | None, client: ClientFacts):
    """One coherent "Before you start", from the one clearance rule (clients.clearance)."""
    if not client.screenings:
        return BeforeYouStart(
            Readiness.SCREENING_NEEDED,
            "Before you start: a health questionnaire first",
            (
                "You have not filled in the health questionnaire (PAR-Q+) yet. Ask your "
                "specialist for it before your first session: your answers tell you whether "
                "to see a doctor first.",
            ),
        )
    clearance_days = [c.cleared_on for c in client.clearances]
    parq_due = clearance_due(client.screenings, clearance_days)
    found_on = assessed_on or date.min
    referral_open = bool(referral_reasons) and not any(covers(d, found_on) for d in clearance_days)
    if referral_open or parq_due:
        open_reasons = list(referral_reasons) if referral_open else []
        if parq_due and "parq_positive" not in open_reasons:
            open_reasons.append("parq_positive")
        topics = tuple(dict.fromkeys(plain_referral(r) for r in open_reasons))
        return BeforeYouStart(
            Readiness.SEE_PHYSICIAN,
            "Before you start: talk to a doctor or physiotherapist",
            (
                "Before your first session, talk to a doctor or physiotherapist about:",
                "Take this plan with you. Start once they say you can, and let your "
                "specialist know what they said.",
            ),
            topics=topics,
        )
    latest_day, latest_yes_numbers = latest_yes(client.screenings)
    needed = list(referral_reasons) + (["parq_positive"] if latest_yes_numbers else [])
    if needed:
        relevant = max(
            (c for c in client.clearances if covers(c.cleared_on, max(found_on, latest_day))),
            key=lambda c: c.cleared_on,
            default=None,
        ) or max(client.clearances, key=lambda c: c.cleared_on)
        topics = tuple(dict.fromkeys(plain_referral(r) for r in needed))
        return BeforeYouStart(
            Readiness.CLEARED,
            "Before you start: you are cleared",
            (
                f"{relevant.cleared_by} cleared you for exercise on {_day(relevant.cleared_on)}, "
                "after looking at:",
            ),
            topics=topics,
            cleared_by=relevant.cleared_by,
            cleared_on=relevant.cleared_on,
        )
    return BeforeYouStart(
        Readiness.CLEAR,
        "Before you start: you are ready",
        (
            f"Your health questionnaire of {_day(latest_day)} raised nothing to talk over with "
            "a doctor first.",
        ),
    )


def _stages(phases: Sequence[Mapping[str, Any]], cards: list[list[ExerciseCard]]):
    """Phases grouped into stages: phases whose weeks overlap share one session."""
    order = sorted(range(len(phases)), key=lambda i: (tuple(phases[i]["weeks"]), i))
    groups: list[list[int]] = []
    last_week = 0
    for index in order:
        first, last = phases[index]["weeks"]
        if groups and first <= last_week:
            groups[-1].append(index)
            last_week = max(last_week, last)
        else:
            groups.append([index])
            last_week = last
    stages = []
    for number, members in enumerate(groups, start=1):
        members.sort()  # session order is the phases' order
        first = min(phases[i]["weeks"][0] for i in members)
        last = max(phases[i]["weeks"][1] for i in members)
        steps = []
        for i in members:
            if not cards[i]:
                continue  # a step the engine left empty is not part of the session
            phase = phases[i]
            key = phase["key"]
            title, purpose = STEPS.get(key, (phase.get("title", key).split(":")[0], ""))
            weeks = (phase["weeks"][0], phase["weeks"][1])
            steps.append(
                Step(
                    key=key,
                    title=title,
                    purpose=purpose,
                    weeks=weeks,
                    exercises=tuple(cards[i]),
                    joins_in_week=weeks[0] if weeks[0] > first else None,
                )
            )
        stages.append(
            Stage(
                number=number,
                weeks=(first, last),
                sessions_per_week=max(phases[i]["sessions_per_week"] for i in members),
                steps=tuple(steps),
            )
        )
    return tuple(stages)


def _card(item: Mapping[str, Any], step_key: str, poses, terms) -> ExerciseCard:
    cues = tuple(item.get("cues") or ())[:MAX_CUES]
    pose = poses.get(item["slug"]) if poses is not None else None
    return ExerciseCard(
        slug=item["slug"],
        name=client_name(item.get("name") or item["slug"], terms),
        dose=dose_text(item.get("sets"), item.get("reps"), item.get("hold_s"), item.get("tempo")),
        cues=cues,
        why=_why(step_key, item.get("findings") or ()),
        illustration=item["slug"] if pose is not None else None,
        alt=pose.alt if pose is not None else " ".join(cues[:2]),
        equipment=tuple(item.get("equipment") or ()),
        note=item.get("notes") or "",
    )


def _next_steps(stages: Sequence[Stage], retest_on: date, specialist: str) -> tuple[str, ...]:
    lines = []
    for stage in stages:
        if stage.number > 1:
            lines.append(
                f"Weeks {stage.weeks[0]} to {stage.weeks[1]} start only once your specialist "
                "has seen how the weeks before went."
            )
        for step in stage.steps:
            if step.joins_in_week and step.exercises:
                lines.append(
                    f"From week {step.joins_in_week}, add the “{step.title}” exercises, once "
                    "the earlier ones feel easy and cause no pain."
                )
    lines.append(
        f"Come back for your re-test on {_day(retest_on)}: {specialist} will repeat the tests "
        "and adjust your plan."
    )
    lines.append("Come back sooner if an exercise keeps hurting or no longer feels right.")
    return tuple(lines)


def _dose_help(cards: Sequence[Sequence[ExerciseCard]]) -> tuple[str, ...]:
    """What the dose words mean, for the doses this plan uses (the ItemForm's tempo format)."""
    doses = " ".join(card.dose for step in cards for card in step)
    lines = []
    if "tempo " in doses:
        lines.append(
            "Tempo 4/2/2 means: take 4 seconds to lower, hold 2 seconds, take 2 seconds to "
            "lift (the numbers of each exercise may differ)."
        )
    if " × " in doses:
        lines.append("2 × 12 reps means 2 sets of 12 repetitions, with a short rest between sets.")
    return tuple(lines)


def client_plan(
    version_data: Mapping[str, Any],
    *,
    client: ClientFacts,
    poses: Any = None,
    specialist_terms: Iterable[str] = (),
    photo: BeforePhoto | None = None,
) -> ClientPlan:
    """The client's plan from a version's content and the client's facts (pure).

    ``version_data``: ``number``, ``starts_on``, ``retest_on``, ``published_on`` and
    ``assessed_on`` (dates or None), ``notes``, the draft's ``findings`` (dicts with a
    ``code``) and ``referral`` (``reasons``), and ``phases`` in order, each with ``key``,
    ``weeks`` [first, last], ``sessions_per_week`` and ``exercises`` (``slug``, ``name``,
    ``sets``, ``reps``, ``hold_s``, ``tempo``, ``cues``, ``findings``, ``equipment``,
    ``notes``). ``poses``: anything with ``get(slug)`` returning a pose with ``alt`` (the
    shipped PoseSet). ``specialist_terms``: words that take a parenthesis out of a name.
    ``photo``: the before photo, given only when the client agreed to photos in their plan.
    """
    phases = list(version_data.get("phases") or ())
    terms = tuple(specialist_terms)
    cards = [
        [_card(item, p["key"], poses, terms) for item in p.get("exercises") or ()] for p in phases
    ]
    stages = _stages(phases, cards) if phases else ()
    starts_on: date = version_data["starts_on"]
    retest_on: date = version_data["retest_on"]
    found = tuple(
        dict.fromkeys(
            plain.said
            for plain in (plain_finding(f["code"]) for f in version_data.get("findings") or ())
            if plain is not None
        )
    )
    if not found:
        found = ("We found nothing that needs correcting: this plan keeps you moving well.",)
    checklist = tuple(
        ChecklistWeek(
            week, starts_on + timedelta(weeks=week - 1), stage.sessions_per_week, stage.number
        )
        for stage in stages
        for week in range(stage.weeks[0], stage.weeks[1] + 1)
    )
    published_on = version_data.get("published_on")
    on = published_on or starts_on
    return ClientPlan(
        title="Your exercise plan",
        document_title=f"Exercise plan for {client.first_name}, {_day(on)}",
        first_name=client.first_name,
        practice=client.practice,
        specialist=client.specialist,
        population=client.population,
        version=version_data.get("number", 1),
        published_on=published_on,
        starts_on=starts_on,
        retest_on=retest_on,
        found=found,
        before=_before(
            list((version_data.get("referral") or {}).get("reasons") or ()),
            version_data.get("assessed_on"),
            client,
        ),
        stages=stages,
        checklist=checklist,
        next_steps=_next_steps(stages, retest_on, client.specialist),
        safety=SAFETY_ALL + SAFETY_BY_POPULATION.get(client.population, ()),
        specialist_note=version_data.get("notes") or "",
        dose_help=_dose_help(cards),
        steps_overview=tuple(
            dict.fromkeys(step.title for stage in stages for step in stage.steps if step.exercises)
        ),
        before_photo=photo,
    )
