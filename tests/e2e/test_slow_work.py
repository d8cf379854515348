"""Slow work says so: the busy note of config/static/js/realign.js on the app's slow actions.

A submitted form, or a download link marked with data-busy, shows a note with role=status
once the work has taken a second, and the button or link cannot start the work a second
time meanwhile; quick work shows nothing.

The tests make the work slow without touching the app: the browser holds the action's
request (page.route) until the test releases it, so nothing depends on how fast the server
is. Two things shape how they look:

- While a form's POST is held, the page is navigating, and chromium answers no DevTools
  evaluation until that navigation commits: no expect(), locator or screenshot can look at
  the page meanwhile (they wait for the navigation, which waits for the test). So the page
  records what happens to it in sessionStorage (the submits, the moment the note is filled
  in and what it looks like then), the test presses keys and taps the screen (input reaches
  the page during a navigation), and it reads the record on the page that follows.
- A download does not navigate (the link fetches the file itself), so there the test
  looks at the page while the request is held, with playwright's auto-waiting expect(),
  and moves the page's clock by hand to place the note at one second exactly.

Screenshots of the notes go to e2e-screenshots/slow-work/<case>/.
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, Request, Route, expect

from tests.e2e.conftest import DEMO_CLIENT_PASSWORD, TIMEOUT_MS, seed_demo_practice, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DELAY_MS = 1000  # realign.js: the note appears once the work has taken this long
FORM_NOTE = "Working… this can take a moment."
RECORD_KEY = "slow-work-record"

# Installed on the page before the action: keeps, in sessionStorage (which outlives the
# navigation), each submit (after realign.js had its say: prevented or not) and the first
# moment a busy note has text, with what the note and its button look like at that moment.
RECORDER = """key => {
  const record = entry => {
    const list = JSON.parse(sessionStorage.getItem(key) || "[]");
    list.push(Object.assign({t: performance.now(), path: location.pathname}, entry));
    sessionStorage.setItem(key, JSON.stringify(list));
  };
  sessionStorage.setItem(key, "[]");
  window.addEventListener("submit", event => record({
    type: "submit", prevented: event.defaultPrevented,
    by: event.submitter ? event.submitter.textContent.trim() : null,
  }));
  document.addEventListener("keydown", event => record({
    type: "key", key: event.key, on: event.target.textContent.trim().slice(0, 60),
  }), true);
  let seen = false;
  new MutationObserver(() => {
    const note = document.querySelector(".busy-note");
    if (seen || !note || !note.textContent.trim()) { return; }
    seen = true;
    const control = note.previousElementSibling;
    const box = note.getBoundingClientRect();
    record({
      type: "note", text: note.textContent.trim(),
      role: note.getAttribute("role"), live: note.getAttribute("aria-live"),
      visible: note.checkVisibility() && box.width > 0 && box.height > 0,
      control: control.textContent.trim(),
      ariaDisabled: control.getAttribute("aria-disabled"),
      pointerEvents: getComputedStyle(control).pointerEvents,
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  window.addEventListener("pagehide", () => record({type: "pagehide"}));
}"""


class HeldRequests:
    """Requests to one path, held in the browser until the test releases them."""

    def __init__(self, page: Page, path: str, method: str):
        self.page, self.method = page, method
        self.requests: list[Request] = []
        self._held: list[Route] = []
        page.route(lambda url: urlsplit(url).path == path, self._handle)

    def _handle(self, route: Route, request: Request) -> None:
        if request.method != self.method:
            route.continue_()
            return
        self.requests.append(request)
        self._held.append(route)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{count} request(s) expected, {self.requests}"
            self.page.wait_for_timeout(20)

    def release(self) -> None:
        held, self._held = self._held, []
        for route in held:
            route.continue_()


def record_of(page: Page) -> list[dict]:
    return page.evaluate("key => JSON.parse(sessionStorage.getItem(key) || '[]')", RECORD_KEY)


def flash(page: Page):
    return page.locator("main > .alert[role=status]").first


def busy_notes(page: Page):
    return page.locator(".busy-note")


# --- Forms: the page navigates when the work is done --------------------------------------


@dataclass
class SlowForm:
    page: str
    action: str
    button: str
    then: re.Pattern  # the flash message of the page that follows


def slow_forms(data) -> dict[str, SlowForm]:
    return {
        "suggest-a-program": SlowForm(
            f"/assessments/{data.assessment.pk}/",
            f"/assessments/{data.assessment.pk}/program/",
            "Suggest a program",
            re.compile("Draft program suggested"),
        ),
        "redraft": SlowForm(
            f"/programs/{data.published.pk}/rerun/",
            f"/programs/{data.published.pk}/redraft/",
            "Draft a new version under the current rules",
            re.compile(r"Version \d+ drafted under ruleset"),
        ),
        "publish": SlowForm(  # the confirmation step's button publishes
            f"/programs/{data.draft.pk}/publish/",
            f"/programs/{data.draft.pk}/publish/",
            f"Publish version {data.draft.number}",
            re.compile(rf"Version {data.draft.number} published\."),
        ),
    }


def signed_in_owner(new_context):
    data = seed_demo_practice()
    page = new_context().new_page()
    sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    return data, page


@pytest.mark.parametrize("case", ["suggest-a-program", "redraft", "publish"])
def test_slow_form_says_so_and_cannot_be_sent_twice(case, new_context):
    data, page = signed_in_owner(new_context)
    form = slow_forms(data)[case]
    page.goto(form.page)
    page.evaluate(RECORDER, RECORD_KEY)
    button = page.get_by_role("button", name=form.button, exact=True)
    box = button.bounding_box()
    held = HeldRequests(page, form.action, "POST")

    button.click(no_wait_after=True)
    held.wait_for(1)
    # The note is due one second after the submit; meanwhile, Enter on the button (it kept
    # the focus) and a second tap on it must not send the form again.
    page.wait_for_timeout(DELAY_MS + 500)
    page.keyboard.press("Enter")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(500)
    assert len(held.requests) == 1, f"the form was sent {len(held.requests)} times"

    held.release()
    expect(flash(page)).to_contain_text(form.then)
    expect(page).to_have_url(re.compile(r"/programs/\d+/$"))
    expect(busy_notes(page)).to_have_count(0)
    assert len(held.requests) == 1

    record = record_of(page)
    submits = [e for e in record if e["type"] == "submit" and e["path"] == form.page]
    notes = [e for e in record if e["type"] == "note"]
    assert submits[0]["prevented"] is False, record
    assert submits[0]["by"] == form.button, record
    assert all(s["prevented"] for s in submits[1:]), f"a second submit went through: {record}"
    keys = [e for e in record if e["type"] == "key"]
    assert [(k["key"], k["on"]) for k in keys] == [("Enter", form.button)], record
    assert len(submits) == 2, f"the Enter on the busy button did not submit: {record}"
    assert len(notes) == 1, f"no busy note while the form was held: {record}"
    note = notes[0]
    assert note["text"] == FORM_NOTE
    assert (note["role"], note["live"]) == ("status", "polite")
    assert note["visible"], f"the busy note is not visible: {note}"
    assert note["control"] == form.button
    assert note["ariaDisabled"] == "true", note
    assert note["pointerEvents"] == "none", note
    waited = note["t"] - submits[0]["t"]
    assert DELAY_MS - 5 <= waited <= DELAY_MS + 1500, f"the note came {waited:.0f} ms after"


def test_quick_form_does_not_flash_the_note(new_context):
    data, page = signed_in_owner(new_context)
    form = slow_forms(data)["publish"]
    page.goto(form.page)
    page.evaluate(RECORDER, RECORD_KEY)
    seen = []
    page.route(
        lambda url: urlsplit(url).path == form.action,
        lambda route, request: (seen.append(request), route.continue_()),
    )

    page.get_by_role("button", name=form.button, exact=True).click(no_wait_after=True)
    expect(flash(page)).to_contain_text(form.then)
    expect(busy_notes(page)).to_have_count(0)

    record = record_of(page)
    submit = next(e for e in record if e["type"] == "submit")
    gone = next(e for e in record if e["type"] == "pagehide")
    assert gone["t"] - submit["t"] < DELAY_MS, (
        f"the publish took {gone['t'] - submit['t']:.0f} ms: too slow to test a quick action"
    )
    assert not [e for e in record if e["type"] == "note"], f"the note flashed: {record}"
    assert len(seen) == 1


# --- Downloads: the page stays, the file arrives ------------------------------------------


@dataclass
class SlowDownload:
    who: str  # "owner" or "client"
    page: str
    link: str
    note: str
    file: re.Pattern


def slow_downloads(data) -> dict[str, SlowDownload]:
    return {
        "client-export": SlowDownload(
            "owner",
            f"/clients/{data.client.pk}/",
            "Export all data (zip)",
            "Preparing the export… this can take a moment.",
            re.compile(rf"^realign-client-{data.client.pk}-export\.zip$"),
        ),
        "program-pdf": SlowDownload(
            "owner",
            f"/programs/{data.published.pk}/",
            "Download PDF",
            "Preparing the PDF…",
            re.compile(r"\.pdf$"),
        ),
        "portal-pdf": SlowDownload(
            "client", "/my-plans/", "Download PDF", "Preparing the PDF…", re.compile(r"\.pdf$")
        ),
    }


def open_download_page(new_context, case: str, *, clock: bool = False):
    data = seed_demo_practice()
    download = slow_downloads(data)[case]
    page = new_context().new_page()
    if download.who == "client":
        sign_in(page, data.portal_user.username, DEMO_CLIENT_PASSWORD)
    else:
        sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    start = datetime(2026, 3, 2, 9, 0)
    if clock:
        page.clock.install(time=start)
    page.goto(download.page)
    if clock:
        page.clock.pause_at(start + timedelta(minutes=1))
    link = page.get_by_role("link", name=download.link, exact=True).first
    path = urlsplit(link.evaluate("a => a.href")).path
    return data, download, page, link, path


def status_note(page: Page, text: str):
    return page.get_by_role("status").filter(has_text=text)


@pytest.mark.parametrize("case", ["client-export", "program-pdf", "portal-pdf"])
def test_slow_download_says_so_until_the_file_arrives(case, new_context, shots):
    _, download, page, link, path = open_download_page(new_context, case)
    shot = shots(f"slow-work/{case}")
    page.evaluate(RECORDER, RECORD_KEY)
    held = HeldRequests(page, path, "GET")

    link.click()
    held.wait_for(1)
    note = status_note(page, download.note)
    expect(note).to_be_visible()
    expect(note).to_have_text(download.note)
    expect(note).to_have_attribute("aria-live", "polite")
    expect(link).to_have_attribute("aria-disabled", "true")
    expect(link).to_have_css("pointer-events", "none")
    shot(page, "preparing")

    # A second click (a tap on the link, Enter on it) while the file is prepared starts
    # nothing, and the page still says it is working.
    box = link.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link.press("Enter")
    page.wait_for_timeout(500)
    assert len(held.requests) == 1, f"{len(held.requests)} requests for one download"
    expect(busy_notes(page)).to_have_count(1)
    expect(note).to_be_visible()

    with page.expect_download() as arrival:
        held.release()
    file = arrival.value
    assert download.file.search(file.suggested_filename), file.suggested_filename
    content = file.path().read_bytes()
    if case == "client-export":
        assert zipfile.is_zipfile(file.path()), "the export is not a zip"
    else:
        assert content.startswith(b"%PDF")
    # The file is there: the note goes and the link works again, at once (not after a
    # guessed delay), on the same page.
    expect(busy_notes(page)).to_have_count(0, timeout=2000)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    expect(link).to_have_css("pointer-events", "auto")
    assert urlsplit(page.url).path == download.page
    shot(page, "done")

    record = record_of(page)
    notes = [e for e in record if e["type"] == "note"]
    assert len(notes) == 1, record
    assert notes[0]["visible"], record

    # It can be downloaded again.
    with page.expect_download() as again:
        link.click()
        held.wait_for(2)
        held.release()
    assert download.file.search(again.value.suggested_filename)
    assert len(held.requests) == 2


@pytest.mark.parametrize("case", ["client-export"])
def test_download_note_comes_after_one_second_exactly(case, new_context, shots):
    """With the page's clock paused, the test moves time itself: nothing at 999 ms, the
    note at 1000 ms."""
    _, download, page, link, path = open_download_page(new_context, case, clock=True)
    shot = shots(f"slow-work/{case}-clock")
    held = HeldRequests(page, path, "GET")

    link.click()
    held.wait_for(1)
    note = status_note(page, download.note)
    expect(link).to_have_attribute("aria-disabled", "true")
    expect(note).to_have_count(0)
    page.clock.run_for(DELAY_MS - 1)
    expect(note).to_have_count(0)
    expect(page.get_by_text(download.note)).to_have_count(0)
    page.clock.run_for(1)
    expect(note).to_be_visible()
    shot(page, "note-at-one-second")

    with page.expect_download():
        held.release()
    expect(busy_notes(page)).to_have_count(0)


@pytest.mark.parametrize("case", ["client-export", "portal-pdf"])
def test_quick_download_does_not_flash_the_note(case, new_context):
    """The file arrives half a second in: no note then, and none later (its timer is gone)."""
    _, download, page, link, path = open_download_page(new_context, case, clock=True)
    page.evaluate(RECORDER, RECORD_KEY)
    held = HeldRequests(page, path, "GET")

    link.click()
    held.wait_for(1)
    page.clock.run_for(DELAY_MS // 2)
    with page.expect_download():
        held.release()
    expect(busy_notes(page)).to_have_count(0)
    page.clock.run_for(10 * DELAY_MS)
    expect(busy_notes(page)).to_have_count(0)
    expect(page.get_by_text(download.note)).to_have_count(0)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    assert not [e for e in record_of(page) if e["type"] == "note"], "the note flashed"
