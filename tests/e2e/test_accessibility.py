"""axe-core finds no serious or critical violation on the main pages.

axe-core is vendored (tests/e2e/vendor/axe-core, MPL-2.0) and injected by the test; the
pages' Content-Security-Policy forbids inline scripts, so the browser context bypasses it
for these tests only. Each page is checked with axe's default rule set on the demo practice
of `make run`; violations of impact serious or critical fail the page's test, listed with
their rule, help and elements. A screenshot of each page checked is saved under
e2e-screenshots/accessibility/.
"""

from __future__ import annotations

import warnings

import pytest
from django.conf import settings

from programs.sharing import create_share_link
from tests.e2e.conftest import (
    DEMO_CLIENT_PASSWORD,
    SCREENSHOTS,
    axe_violations,
    seed_demo_practice,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = ("serious", "critical")

# page name: (who signs in, path from the seeded data)
PAGES = {
    "sign-in": (None, lambda d: "/accounts/login/"),
    "dashboard": ("specialist", lambda d: "/dashboard/"),
    "client-list": ("specialist", lambda d: "/clients/"),
    "client": ("specialist", lambda d: f"/clients/{d.client.pk}/"),
    "assessment-findings": ("specialist", lambda d: f"/assessments/{d.assessment.pk}/"),
    "assessment-recording": ("specialist", lambda d: f"/assessments/{d.assessment.pk}/record/"),
    "program-draft": ("specialist", lambda d: f"/programs/{d.draft.pk}/"),
    "program-published": ("specialist", lambda d: f"/programs/{d.published.pk}/"),
    "publish-confirmation": ("specialist", lambda d: f"/programs/{d.draft.pk}/publish/"),
    "share-landing": (None, lambda d: f"/p/{create_share_link(d.published, by=d.owner)[1]}/"),
    "portal": ("client", lambda d: "/my-plans/"),
    "portal-whole-plan": ("client", lambda d: f"/my-plans/{d.published.pk}/"),
    "portal-pain-advice": (
        "client",
        lambda d: f"/my-plans/?logged={d.published.sessions.order_by('-pain').first().pk}",
    ),
}


def describe(violation: dict) -> str:
    lines = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        lines.append(f"  - {' '.join(str(t) for t in node['target'])}")
        lines.append(f"    {node['html'][:200]}")
        summary = " ".join((node.get("failureSummary") or "").split())
        if summary:
            lines.append(f"    {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violation(name, new_context):
    data = seed_demo_practice()
    who, path = PAGES[name]
    page = new_context(bypass_csp=True).new_page()
    if who == "specialist":
        sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    elif who == "client":
        sign_in(page, data.portal_user.username, DEMO_CLIENT_PASSWORD)
    url = path(data)
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert page.url.endswith(url), f"{url} redirected to {page.url}"
    folder = SCREENSHOTS / "accessibility"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        warnings.warn(
            f"axe-core, moderate or minor on the {name} page ({url}):\n"
            + "\n".join(describe(v) for v in others),
            stacklevel=1,
        )
    assert not blocking, (
        f"axe-core found serious or critical violations on the {name} page ({url}):\n"
        + "\n".join(describe(v) for v in blocking)
    )
