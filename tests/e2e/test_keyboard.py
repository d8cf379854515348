"""The assessment form by keyboard alone (issue: assessment entry on a tablet, a summary of
errors at the top that links to the fields, keyboard navigation).

Only the keyboard moves through the pages here (Tab, Shift+Tab, Enter, typing): the skip
link is the first Tab stop and leads into the main content; Tab visits every control of
every section form in the order of the page, each with a visible focus indicator; Enter in
a field sends its section; a section that is not saved puts the focus on its error summary,
whose links put the focus on the field in error; corrected, the section saves.

The context asks for reduced motion, so Bootstrap's focus rings are drawn at once rather
than faded in. Screenshots go to e2e-screenshots/keyboard/.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.e2e.conftest import seed_demo_practice, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 400

# The focused element: a key naming it (id, else name and value, else its text), where it
# sits in the document, the section form holding it, and whether its focus shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const shadowShows = value => value !== "none" && value.split(/,(?![^(]*\\))/).some(part => {
    const color = part.match(/rgba?\\(([^)]*)\\)/);
    const parts = color ? color[1].split(",") : [];
    const alpha = parts.length === 4 ? parseFloat(parts[3]) : 1;
    const lengths = part.replace(/rgba?\\([^)]*\\)/, "").trim().split(/\\s+/)
      .filter(word => word && word !== "inset").map(parseFloat);
    return alpha > 0 && lengths.some(n => n !== 0);
  });
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const form = el.closest("form[action*='/sections/']");
  const box = el.getBoundingClientRect();
  return {
    key: el.id || (el.name ? el.name + "=" + el.value : "") || el.textContent.trim().slice(0, 60),
    tag: el.tagName.toLowerCase(),
    order: Array.prototype.indexOf.call(document.querySelectorAll("*"), el),
    form: form ? form.getAttribute("action") : null,
    inMain: !!el.closest("main"),
    focusShows: outline || shadowShows(style.boxShadow),
    outline: style.outlineStyle + " " + style.outlineWidth,
    boxShadow: style.boxShadow,
    inView: box.bottom > 0 && box.top < window.innerHeight && box.width > 0 && box.height > 0,
  };
}"""

# Each section form's controls as Tab should visit them: in document order, visible and
# enabled, one stop per group of radios (the checked one, else the first).
EXPECTED_STOPS = """() => {
  const forms = document.querySelectorAll("main form[action*='/sections/']");
  const result = {};
  for (const form of forms) {
    const stops = [];
    const radios = new Set();
    const candidates = form.querySelectorAll(
      "input, select, textarea, button, a[href], [tabindex]:not([tabindex='-1'])");
    for (const el of candidates) {
      if (el.type === "hidden" || el.disabled || el.tabIndex < 0 || !el.checkVisibility()) {
        continue;
      }
      if (el.type === "radio") {
        if (radios.has(el.name)) { continue; }
        radios.add(el.name);
        const group = [...form.querySelectorAll("input[type=radio]")]
          .filter(r => r.name === el.name);
        const stop = group.find(r => r.checked) || group[0];
        stops.push(stop.id);
        continue;
      }
      const named = el.name ? el.name + "=" + el.value : "";
      stops.push(el.id || named || el.textContent.trim().slice(0, 60));
    }
    result[form.getAttribute("action")] = stops;
  }
  return result;
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_until(page: Page, key: str, *, shift: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the element named key has the focus; the presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        now = focused(page)
        if now and now["key"] == key:
            return presses
    raise AssertionError(f"{key} never took the focus in {MAX_TABS} presses of Tab")


def keyboard_context(new_context):
    return new_context(reduced_motion="reduce")


def signed_in(new_context):
    data = seed_demo_practice()
    page = keyboard_context(new_context).new_page()
    sign_in(page, data.owner.username, settings.REALIGN_DEMO_PASSWORD)
    return data, page


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(new_context, shots):
    data, page = signed_in(new_context)
    shot = shots("keyboard-skip-link")
    pages = {
        "dashboard": "/dashboard/",
        "client": f"/clients/{data.client.pk}/",
        "assessment-recording": f"/assessments/{data.assessment.pk}/record/",
    }
    for name, path in pages.items():
        page.goto(path)
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_have_attribute("href", "#main")
        expect(page.locator("main#main")).to_have_count(1)
        hidden = skip.bounding_box()
        assert hidden["width"] <= 1, f"{name}: shown before focus"
        assert hidden["height"] <= 1, f"{name}: shown before focus"

        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        now = focused(page)
        assert now["focusShows"], f"{name}: the focused skip link has no focus indicator"
        assert now["inView"], f"{name}: the focused skip link is not on screen"
        shown = skip.bounding_box()
        assert shown["width"] > 40, f"{name}: {shown}"
        assert shown["height"] > 20, f"{name}: {shown}"
        shot(page, f"{name}-skip-link-focused")

        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#main$"))
        page.keyboard.press("Tab")
        after = focused(page)
        assert after, f"{name}: Tab after the skip link left the page"
        assert after["inMain"], f"{name}: Tab after the skip link went to {after}"
        first = page.evaluate(
            """() => {
              const el = [...document.querySelectorAll(
                "main a[href], main button, main input, main select, main textarea")]
                .find(e => e.checkVisibility() && !e.disabled && e.type !== "hidden");
              return Array.prototype.indexOf.call(document.querySelectorAll("*"), el);
            }"""
        )
        assert after["order"] == first, f"{name}: the first Tab stop in main was skipped"


def test_every_section_control_in_order_with_visible_focus(new_context, shots):
    data, page = signed_in(new_context)
    shot = shots("keyboard-tab-order")
    record = f"/assessments/{data.assessment.pk}/record/"
    page.goto(record)
    # Every section, not only the population's: radios (postpartum), checkboxes (gait,
    # growth pain), a formset (pain), selects, numbers and text.
    more = page.get_by_role("region", name="Add another section").get_by_role("link")
    added = sorted(
        {
            key
            for href in more.evaluate_all("links => links.map(a => a.href)")
            for key in parse_qs(urlsplit(href).query).get("add", [])
        }
    )
    page.goto(record + "?" + "&".join(f"add={key}" for key in added))
    expected = page.evaluate(EXPECTED_STOPS)
    assert len(expected) >= 9, f"not every section is on the page: {list(expected)}"

    visited: list[dict] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None or (visited and now["order"] == visited[0]["order"]):
            break
        visited.append(now)
    else:
        raise AssertionError(f"Tab went on for {MAX_TABS} stops")
    shot(page, "last-tab-stop")

    orders = [stop["order"] for stop in visited]
    backwards = [
        (visited[i - 1]["key"], visited[i]["key"])
        for i in range(1, len(orders))
        if orders[i] <= orders[i - 1]
    ]
    assert not backwards, f"Tab went back up the page: {backwards}"
    for action, stops in expected.items():
        got = [stop["key"] for stop in visited if stop["form"] == action]
        assert got == stops, f"{action}: Tab visited {got}, the form has {stops}"
    hidden_focus = [
        (stop["key"], stop["outline"], stop["boxShadow"])
        for stop in visited
        if not stop["focusShows"]
    ]
    assert not hidden_focus, f"focus does not show on: {hidden_focus}"
    not_in_view = [stop["key"] for stop in visited if not stop["inView"]]
    assert not not_in_view, f"focused but off screen: {not_in_view}"


def test_section_errors_by_keyboard_alone(new_context, shots):
    data, page = signed_in(new_context)
    shot = shots("keyboard-errors")
    page.goto(f"/assessments/{data.assessment.pk}/record/")
    cva, wall = "id_tech_neck-cva_deg", "id_tech_neck-wall_distance_cm"

    # Tab down to the tech neck section, type two values out of range, send it with Enter.
    tab_until(page, cva)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("400")
    page.keyboard.press("Tab")
    assert focused(page)["key"] == wall
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("900")
    page.keyboard.press("Enter")
    # Refused, the section is shown again at the page's own address (a reload does not post).
    expect(page).to_have_url(re.compile(r"/record/$"))

    # The focus is on the section's error summary, which is on screen.
    summary = page.locator("#section-tech_neck [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("This section was not saved")
    expect(summary).to_be_in_viewport()
    assert focused(page)["focusShows"], "the focused error summary shows no focus"
    shot(page, "error-summary-focused")

    # Tab reaches its first link; Enter puts the focus on the field it names.
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    expect(links.first).to_have_text("Craniovertebral angle (CVA)")
    page.keyboard.press("Enter")
    field = page.locator(f"#{cva}")
    expect(field).to_be_focused()
    expect(field).to_have_value("400")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_in_viewport()
    expect(page.locator(f"label[for={cva}]")).to_be_in_viewport()
    assert focused(page)["focusShows"]
    shot(page, "error-link-followed")

    # Shift+Tab goes back up to the second link, which leads to the second field.
    page.keyboard.press("Shift+Tab")
    expect(links.nth(1)).to_be_focused()
    expect(links.nth(1)).to_have_text("Tragus-to-wall distance")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{wall}")).to_be_focused()

    # Corrected (Shift+Tab back to the first field), the section saves on Enter.
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("14")
    page.keyboard.press("Shift+Tab")
    expect(field).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("44")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/record/#section-tech_neck$"))
    expect(page.locator("main > .alert[role=status]").first).to_contain_text("Tech neck saved.")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.locator(f"#{cva}")).to_have_value(re.compile(r"^44(\.0)?$"))
    shot(page, "section-saved")


def test_error_link_to_a_group_of_radios_focuses_its_first_radio(new_context):
    """A group has no element with the field's id: the link still leads to it."""
    data, page = signed_in(new_context)
    page.goto(f"/assessments/{data.assessment.pk}/record/?add=postpartum")
    # A choice outside the list can only come from a changed page: the server says so,
    # and the summary links to a field whose id names the group, not one radio.
    radio = page.locator("#id_postpartum-doming_1")
    radio.evaluate("r => { r.value = 'maybe'; }")
    radio.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/record/\?add=postpartum$"))
    summary = page.locator("#section-postpartum [data-error-summary]")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Doming or coning")
    expect(link).to_have_attribute("href", "#id_postpartum-doming")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_postpartum-doming_0")).to_be_focused()
    expect(page.get_by_role("group", name="Doming or coning")).to_be_in_viewport()
