"""One browser journey per population, from the specialist's sign-in to the client's session.

The specialist signs in, creates the client, records consent and the PAR-Q+, records an
assessment with every section of the population, reads the findings, generates, edits and
publishes the program (recording a clearance when a referral holds it), downloads the PDF
and invites the client; the client chooses a password, signs in, downloads the same PDF and
logs a session with a pain rating, which the specialist then sees. Each step is saved as a
full-page screenshot under e2e-screenshots/<population>/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from clients.models import Membership
from programs.adherence import pain_alert
from tests.e2e.conftest import sign_in, today_iso
from tests.factories import PracticeFactory, specialist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIENT_PASSWORD = "Quiet-lantern-harbour-4829"


def years_ago(years: int, days: int = 40) -> str:
    today = timezone.localdate()
    return (date(today.year - years, today.month, 1) - timedelta(days=days)).isoformat()


# --- Section recorders: (key, title, a function filling the section's card) ----------------


def choose(card: Locator, observations: dict[str, str]) -> None:
    for label, option in observations.items():
        card.get_by_label(label, exact=True).select_option(label=option)


def fill(card: Locator, values: dict[str, str]) -> None:
    for label, value in values.items():
        card.get_by_label(label, exact=True).fill(value)


def static_posture(observations: dict[str, str], notes: str):
    def record(card: Locator) -> None:
        choose(card, observations)
        card.get_by_label("Notes", exact=True).fill(notes)

    return "static_posture", "Static posture", record


def tech_neck(cva: str, wall: str, screen: str):
    def record(card: Locator) -> None:
        fill(
            card,
            {
                "Craniovertebral angle (CVA)": cva,
                "Tragus-to-wall distance": wall,
                "Screen time": screen,
            },
        )

    return "tech_neck", "Tech neck", record


def pelvic_tilt(left: str, right: str):
    def record(card: Locator) -> None:
        fill(card, {"Pelvic tilt, left side": left, "Pelvic tilt, right side": right})

    return "pelvic_tilt", "Pelvic tilt", record


def overhead_squat(observations: dict[str, str]):
    def record(card: Locator) -> None:
        choose(card, observations)

    return "overhead_squat", "Overhead squat", record


def gait(deviations: list[str]):
    def record(card: Locator) -> None:
        for label in deviations:
            card.get_by_label(label, exact=True).check()

    return "gait", "Gait", record


def senior_tests(values: dict[str, str]):
    def record(card: Locator) -> None:
        fill(card, values)

    return "senior_tests", "Senior fitness and balance", record


def postpartum(ird: tuple[str, str, str], answers: dict[str, str]):
    def record(card: Locator) -> None:
        fill(
            card,
            {
                "Inter-recti distance, 4.5 cm above the navel": ird[0],
                "Inter-recti distance at the navel": ird[1],
                "Inter-recti distance, 4.5 cm below the navel": ird[2],
            },
        )
        for question, answer in answers.items():
            card.get_by_role("group", name=question).get_by_label(answer, exact=True).check()

    return "postpartum", "Postpartum", record


def youth(height: str, sitting: str, weight: str):
    def record(card: Locator) -> None:
        fill(card, {"Standing height": height, "Sitting height": sitting, "Body mass": weight})

    return "youth", "Growth and maturity", record


def pain(where: str, score: str, during: str):
    def record(card: Locator) -> None:
        card.get_by_label("Region").first.select_option(label=where)
        card.get_by_label("Pain (0-10)").first.fill(score)
        card.get_by_label("During which test").first.fill(during)

    return "pain", "Pain during testing", record


# --- The four journeys ----------------------------------------------------------------------


@dataclass
class Journey:
    population: str
    first_name: str
    last_name: str
    birth_date: str
    sex: str
    parq_yes: set[int]
    sections: list[tuple[str, str, Callable[[Locator], None]]]
    needs_clearance: bool  # a referral holds the draft until a clearance is recorded
    session_pain: int
    delivery: tuple[str, str] | None = None  # (date, type)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}@example.org".lower()


def _journeys() -> list[Journey]:
    today = timezone.localdate()
    return [
        Journey(
            "adult",
            "Maya",
            "Okafor",
            "1988-03-14",
            "Female",
            set(),
            [
                static_posture(
                    {
                        "Feet flatten (arches collapse)": "Both sides",
                        "Pelvis tilts forward (anterior pelvic tilt)": "Seen",
                        "Rounded (protracted) shoulders": "Seen",
                    },
                    "Stands with weight on the right leg.",
                ),
                tech_neck("44", "14", "7"),
                pelvic_tilt("16", "14"),
                overhead_squat({"Knees move inward": "Left", "Low back arches": "Seen"}),
                gait(["Toes point out"]),
                pain("Low back", "3", "Overhead squat"),
            ],
            needs_clearance=True,
            session_pain=6,
        ),
        Journey(
            "youth",
            "Leo",
            "Brandt",
            years_ago(14),
            "Male",
            set(),
            [
                static_posture(
                    {
                        "Rounded (protracted) shoulders": "Seen",
                        "Head sits forward of the shoulders": "Seen",
                    },
                    "Plays football three times a week.",
                ),
                tech_neck("46", "12", "6"),
                overhead_squat({"Knees move inward": "Both sides", "Arms fall forward": "Seen"}),
                youth("162.5", "83", "50.2"),
                pain("Knee", "0", "Overhead squat"),
            ],
            needs_clearance=False,
            session_pain=2,
        ),
        Journey(
            "senior",
            "Edith",
            "Marlowe",
            years_ago(71),
            "Female",
            {1},
            [
                static_posture(
                    {
                        "Rounded upper back (increased thoracic curve)": "Seen",
                        "Head sits forward of the shoulders": "Seen",
                    },
                    "Walks with a stick outdoors.",
                ),
                gait(["Short stride", "Reduced or absent arm swing"]),
                senior_tests(
                    {
                        "30-second chair stand": "10",
                        "30-second arm curl": "12",
                        "2-minute step": "70",
                        "Chair sit-and-reach": "-3",
                        "Back scratch": "-12",
                        "8-foot up-and-go": "7.2",
                        "6-minute walk": "420",
                        "Timed Up and Go (TUG)": "13.5",
                        "Tandem stance": "8",
                    }
                ),
                pain("Knee", "2", "30-second chair stand"),
            ],
            needs_clearance=True,
            session_pain=5,
        ),
        Journey(
            "postpartum",
            "Sofia",
            "Reyes",
            "1992-06-02",
            "Female",
            set(),
            [
                static_posture(
                    {"Pelvis tilts forward (anterior pelvic tilt)": "Seen"},
                    "Carries the baby on the left hip.",
                ),
                tech_neck("47", "11", "5"),
                pelvic_tilt("14", "15"),
                postpartum(
                    ("2.8", "3.1", "1.9"),
                    {
                        "Doming or coning": "Yes",
                        "Leakage (urine, wind or faeces)": "No",
                        "Heaviness, dragging or bulge": "No",
                    },
                ),
                pain("Low back", "2", "Pelvic tilt"),
            ],
            needs_clearance=True,
            session_pain=3,
            delivery=((today - timedelta(weeks=16)).isoformat(), "Vaginal"),
        ),
    ]


JOURNEYS = {journey.population: journey for journey in _journeys()}


def flash(page: Page) -> Locator:
    return page.locator("main > .alert[role=status]")


def expect_flash(page: Page, text: str | re.Pattern) -> None:
    expect(flash(page).first).to_contain_text(text)


def item_names(page: Page) -> list[str]:
    """The program's exercises in page order (phase by phase)."""
    names = page.locator("li.program-item .program-item-body > strong").all_inner_texts()
    return [name.split(". ", 1)[1] for name in names]


def card(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=title, exact=True)


@pytest.mark.parametrize("population", list(JOURNEYS))
def test_journey(population, new_context, shots, live_server):
    journey = JOURNEYS[population]
    shot = shots(population)
    practice = PracticeFactory(name="Northside Movement")
    user = specialist(practice, role=Membership.Role.OWNER)
    user.first_name, user.last_name = "Jordan", "Lee"
    user.save()

    page = new_context().new_page()

    # --- The specialist signs in and creates the client ---------------------------------
    page.goto("/accounts/login/")
    shot(page, "sign-in")
    sign_in(page, user.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    shot(page, "dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()
    shot(page, "client-list-empty")
    page.get_by_role("link", name="New client").last.click()
    expect(page.get_by_role("heading", name="New client")).to_be_visible()
    page.get_by_label("First name").fill(journey.first_name)
    page.get_by_label("Last name").fill(journey.last_name)
    page.get_by_label("Birth date").fill(journey.birth_date)
    page.get_by_label("Sex").select_option(label=journey.sex)
    page.get_by_label("Email").fill(journey.email)
    page.get_by_label("Goals").fill("Move without back pain; keep up with the kids.")
    if journey.delivery:
        page.get_by_label("Delivery date").fill(journey.delivery[0])
        page.get_by_label("Delivery type").select_option(label=journey.delivery[1])
    shot(page, "client-form")
    page.get_by_role("button", name="Save client").click()
    expect_flash(page, f"{journey.full_name} added.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.full_name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(population.capitalize())
    client_url = page.url
    shot(page, "client-created")

    # --- Consent and PAR-Q+ ---------------------------------------------------------------
    page.get_by_role("alert").get_by_role("link", name="Record consent").click()
    page.get_by_label("Consented on").fill(today_iso())
    if population == "youth":  # under 18: a parent or guardian consents too
        page.get_by_label("Parent or guardian's name").fill("Anke Brandt")
        page.get_by_label("Relationship to the client").fill("mother")
        page.get_by_label("Date of the parent or guardian's consent").fill(today_iso())
    shot(page, "consent-form")
    page.get_by_role("button", name="Record consent").click()
    expect_flash(page, "Consent recorded.")
    expect(page.get_by_text("No informed consent is recorded yet")).to_have_count(0)

    page.get_by_role("link", name="New screening").click()
    for number in range(1, 8):
        answer = "Yes" if number in journey.parq_yes else "No"
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_label(answer, exact=True).check()
    shot(page, "parq-form")
    page.get_by_role("button", name="Save screening").click()
    expect_flash(page, "Screening saved.")
    if journey.parq_yes:
        expect(page.get_by_role("heading", name="Medical clearance recommended")).to_be_visible()
    else:
        expect(page.get_by_text("all no")).to_be_visible()
    shot(page, "client-screened")

    # --- The assessment, every section of the population --------------------------------
    page.get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New assessment")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/record/$"))
    record_url = page.url
    shown = page.locator("main section.card[id^=section-]")
    expected_keys = [key for key, _, _ in journey.sections]
    expect(shown).to_have_count(len(expected_keys))
    shown_keys = [s.get_attribute("id").removeprefix("section-") for s in shown.all()]
    assert shown_keys == expected_keys, "the recording page shows other sections"
    shot(page, "record-empty")

    for _key, title, record in journey.sections:
        section = card(page, title)
        record(section)
        section.get_by_role("button", name=f"Save {title.lower()}").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(record_url)}(#.*)?$"))
        expect(card(page, title).get_by_text("Saved", exact=True)).to_be_visible()
    expect(page.locator("main .badge", has_text="Not recorded")).to_have_count(0)
    shot(page, "record-all-sections-saved")

    # --- Findings -------------------------------------------------------------------------
    page.get_by_role("link", name="See the findings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Findings of")
    expect(page.locator("tr.finding").first).to_be_visible()
    if journey.needs_clearance:
        expect(page.get_by_role("heading", name="Refer before corrective exercise")).to_be_visible()
    else:
        expect(page.locator("#referral")).to_have_count(0)
    shot(page, "findings")

    # --- Generate and edit the program --------------------------------------------------
    page.get_by_role("button", name="Suggest a program").click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/$"))
    expect_flash(page, "Draft program suggested")
    program_url = page.url
    items = page.locator("li.program-item")
    expect(items.first).to_be_visible()
    shot(page, "program-draft")

    first_name = item_names(page)[0]
    items.first.get_by_role("link", name="Dose & notes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Edit {first_name}")
    page.get_by_label("Sets").fill("3")
    page.get_by_label("Reps").fill("12")
    page.get_by_label("Hold (seconds)").fill("")
    page.get_by_label("Tempo").fill("3/1/2")
    page.get_by_label("Notes").fill("Slow on the way down; stop if the knee hurts.")
    shot(page, "program-dose-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_flash(page, f"{first_name} saved.")
    expect(page.get_by_text("Slow on the way down; stop if the knee hurts.")).to_be_visible()

    swap = page.get_by_role("link", name=re.compile(r"^(Easier|Harder)$")).first
    swap.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Swap")
    override = page.get_by_label("Reason to override the safety exclusion")
    if override.count():
        override.fill("Cleared by the physiotherapist for this exercise.")
    shot(page, "program-swap")
    page.get_by_role("button", name="Swap", exact=True).click()
    expect_flash(page, "Swapped for")

    order = item_names(page)
    down = page.locator("li.program-item button[aria-label$=' down']:not([disabled])").first
    moved = down.get_attribute("aria-label").removeprefix("Move ").removesuffix(" down")
    with page.expect_navigation():
        down.click()
    at = order.index(moved)
    assert item_names(page) == [*order[:at], order[at + 1], moved, *order[at + 2 :]]

    before = items.count()
    remove = items.last.get_by_role("button", name=re.compile(r"^Remove "))
    removed = remove.get_attribute("aria-label").removeprefix("Remove ")
    remove.click()
    expect_flash(page, f"{removed} removed.")
    expect(items).to_have_count(before - 1)

    page.get_by_role("link", name="+ Add an exercise from the library").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an exercise to")
    select = page.get_by_label("Exercise")
    options = [
        text.strip()
        for text in select.locator("option").all_inner_texts()
        if text.strip() != "Choose…" and "excluded by" not in text
    ]
    assert options, "the library offers no exercise for this phase"
    select.select_option(label=options[0])
    shot(page, "program-add-form")
    page.get_by_role("button", name="Add", exact=True).click()
    expect_flash(page, f"{options[0]} added to")
    expect(items).to_have_count(before)
    shot(page, "program-edited")

    # --- Publish (after a clearance when a referral holds it), confirmed on its own page ----
    if journey.needs_clearance:
        expect(page.get_by_role("button", name="Publish")).to_be_disabled()
        expect(page.get_by_role("heading", name="Publishing waits for a clearance")).to_be_visible()
        shot(page, "program-waits-for-clearance")
        page.get_by_role("link", name="record their clearance").click()
        page.get_by_label("Cleared on").fill(today_iso())
        page.get_by_label("Cleared by").fill("Dr. Amara Nwosu, GP")
        shot(page, "clearance-form")
        page.get_by_role("button", name="Record clearance").click()
        expect_flash(page, "Clearance recorded.")
        # Back on the program that was waiting for it.
        expect(page).to_have_url(re.compile(re.escape(program_url) + "$"))
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name=re.compile("What .* will see"))).to_be_visible()
    shot(page, "program-publish-confirmation")
    page.get_by_role("button", name=re.compile(r"^Publish version \d+$")).click()
    expect_flash(page, "published.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    shot(page, "program-published")

    with page.expect_download() as specialist_download:
        page.get_by_role("link", name="Download PDF").click()
    specialist_pdf = specialist_download.value.path().read_bytes()
    assert specialist_pdf.startswith(b"%PDF")
    assert specialist_download.value.suggested_filename.endswith(".pdf")

    # --- Invite the client ----------------------------------------------------------------
    page.goto(client_url)
    mail.outbox.clear()
    page.get_by_role("button", name="Invite to the client portal").click()
    expect_flash(page, f"Invitation sent to {journey.email}.")
    expect(page.get_by_role("button", name="Send a new portal invitation")).to_be_visible()
    shot(page, "client-invited")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [journey.email]
    link = re.search(r"https?://\S+/welcome/\S+", mail.outbox[0].body).group(0)
    link = live_server.url + urlsplit(link).path

    # --- The client: password, sign-in, PDF, session ------------------------------------
    portal = new_context().new_page()
    portal.goto(link)
    expect(portal.get_by_role("heading", level=1)).to_contain_text("choose your password")
    portal.get_by_label(re.compile(r"^\s*New password\W*$")).fill(CLIENT_PASSWORD)
    portal.get_by_label("New password confirmation").fill(CLIENT_PASSWORD)
    shot(portal, "portal-set-password")
    portal.get_by_role("button", name="Save my password").click()
    expect(portal.get_by_role("heading", level=1)).to_contain_text("Your password is saved")
    shot(portal, "portal-password-saved")
    portal.get_by_role("link", name="Sign in").click()
    sign_in(portal, journey.email, CLIENT_PASSWORD)
    expect(portal).to_have_url(re.compile(r"/my-plans/$"))
    expect(portal.get_by_role("heading", level=1)).to_contain_text("Your exercise plans")
    shot(portal, "portal-my-plans")

    with portal.expect_download() as client_download:
        portal.get_by_role("link", name="Download PDF").click()
    client_pdf = client_download.value.path().read_bytes()
    assert client_pdf == specialist_pdf, "the client's PDF differs from the specialist's"

    portal.get_by_label("Day of the session").fill(today_iso())
    portal.get_by_label("Pain during or after (0-10, optional)").fill(str(journey.session_pain))
    portal.get_by_label("Note for your specialist").fill("Felt it in the hips, otherwise fine.")
    portal.get_by_role("button", name="I did a session").click()
    if pain_alert(journey.session_pain):  # advice, never praise
        expect(portal.get_by_role("alert")).to_contain_text("Stop the exercise that hurt")
        expect(portal.get_by_text("Well done!")).to_have_count(0)
    else:
        expect_flash(portal, "Session logged. Well done!")
    expect(portal.get_by_text(f"pain {journey.session_pain}/10")).to_be_visible()
    shot(portal, "portal-session-logged")

    # --- The specialist sees the session ------------------------------------------------
    page.goto(client_url)
    adherence = card(page, "Adherence to the current plan")
    expect(adherence).to_contain_text(f"pain {journey.session_pain}/10")
    expect(adherence).to_contain_text("Felt it in the hips, otherwise fine.")
    shot(page, "client-adherence")
    page.goto("/dashboard/")
    attention = page.get_by_role("region", name="Clients needing attention")
    if pain_alert(journey.session_pain):
        expect(attention).to_contain_text(journey.full_name)
        expect(attention).to_contain_text(f"pain rated {journey.session_pain}/10")
        shot(page, "dashboard-after-session")
        attention.get_by_text("Acknowledge the pain rating").click()
        attention.get_by_label("What you did about it").fill("Called: paused the exercise.")
        attention.get_by_role("button", name="Acknowledge").click()
        expect_flash(page, "acknowledged")
        expect(page.get_by_role("region", name="Clients needing attention")).not_to_contain_text(
            f"pain rated {journey.session_pain}/10"
        )
    else:
        expect(attention).not_to_contain_text(journey.full_name)
        shot(page, "dashboard-after-session")
