"""Browser fixtures for the end-to-end tests: Debian's chromium driven by playwright.

Never a downloaded browser: the tests launch /usr/bin/chromium and are skipped when it is
missing. Every test here runs against pytest-django's live server (a thread of this
process) with a database that is flushed after each test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "e2e-screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(session, config, items):
    """Browser tests run last: while playwright runs, this thread has a running event loop,
    which Django's async-safety check would hold against every later database test."""
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if e2e:
        others = [item for item in items if not item.get_closest_marker("e2e")]
        items[:] = others + e2e


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's chromium, once per run, started after the test database exists.

    Playwright's sync API keeps an event loop running in this thread while it is started;
    Django would refuse every synchronous database call made meanwhile (the tests'
    factories, the flush after each test), so they are allowed until it stops.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
        finally:
            playwright.stop()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (separate cookie jars) on the live server; all closed after."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class Shots:
    """Numbered full-page screenshots of one journey: e2e-screenshots/<name>/<nn>-<step>.png."""

    def __init__(self, name: str):
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots():
    return Shots


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait until the app has moved on from it."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def today_iso() -> str:
    return timezone.localdate().isoformat()


DEMO_CLIENT_PASSWORD = "Quiet-lantern-harbour-4829"


def seed_demo_practice():
    """The demo practice of `make run` (every population, assessments, published plans), plus
    a portal account for Daniel (adult), a session he logged with pain 6 and a draft
    version of his plan: every page under test then has real content to show."""
    from types import SimpleNamespace

    from assessments.demo import seed_assessments
    from clients.demo import PRACTICE_NAME, seed_demo
    from clients.models import Client, Practice, User
    from programs import services
    from programs.demo import seed_programs
    from programs.models import ProgramVersion, SessionLog

    seed_demo()
    practice = Practice.objects.get(name=PRACTICE_NAME)
    seed_assessments(practice)
    seed_programs(practice)
    owner = User.objects.get(username="owner")
    client = Client.objects.get(practice=practice, first_name="Daniel")
    portal_user = User.objects.create(
        username="daniel.reyes@example.org",
        email="daniel.reyes@example.org",
        first_name=client.first_name,
        last_name=client.last_name,
    )
    portal_user.set_password(DEMO_CLIENT_PASSWORD)
    portal_user.save()
    client.email, client.user = portal_user.email, portal_user
    client.save()
    published = ProgramVersion.objects.get(
        program__client=client, status=ProgramVersion.Status.PUBLISHED
    )
    SessionLog.objects.create(
        version=published, done_on=timezone.localdate(), pain=6, note="Neck sore after rows."
    )
    draft = services.new_version(published, by=owner)
    return SimpleNamespace(
        owner=owner,
        client=client,
        portal_user=portal_user,
        assessment=published.assessment,
        published=published,
        draft=draft,
    )


def axe_violations(page) -> list[dict]:
    """Inject the vendored axe-core and run its default rules on the whole document."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("async () => (await axe.run(document)).violations")


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in axe_violations(page)
        if v["impact"] in ("serious", "critical")
    ]
