"""The program page (programs:version) and its actions: generate, new version, rerun, redraft."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services, sharing
from programs.client_plans import client_plan_for
from programs.dose import dose_of
from programs.models import Program, ProgramExercise, ProgramVersion
from programs.views import PUBLISH_CONFIRMATION
from programs.why import short_why
from tests.factories import (
    AssessmentFactory,
    ConsentFactory,
    draft_program,
    forward_head_assessment,
    published_program,
)
from tests.programs.drafts import items, postpartum_draft, published_plan, referred_draft

CONFIRMED = dict([PUBLISH_CONFIRMATION])  # what the confirmation step posts


@pytest.fixture
def assessment(client_record):
    return forward_head_assessment(client_record)


def test_one_click_suggests_a_draft_from_the_assessment(as_user, specialist_user, assessment):
    response = as_user(specialist_user).post(reverse("programs:generate", args=[assessment.pk]))
    version = ProgramVersion.objects.get()
    assert response["Location"] == reverse("programs:version", args=[version.pk])
    assert version.assessment == assessment
    assert version.ruleset.version == services.current_ruleset()[0].version
    assert [p.key for p in version.phases.all()] == ["inhibit", "lengthen", "activate", "integrate"]


def test_every_exercise_says_why_it_is_there(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    assert page.status_code == 200
    chosen = items(draft)
    assert chosen
    assert all(item.why for item in chosen)
    assert any("forward_head_posture" in item.findings for item in chosen)
    assert "R-FHP-01" in page.text


def test_no_finding_gives_a_general_program_not_an_empty_one(specialist_user, client_record):
    ConsentFactory(client=client_record)
    empty = AssessmentFactory(client=client_record)
    version = services.generate_program(empty, by=specialist_user)
    assert all(phase.items.exists() for phase in version.phases.all())


def test_postpartum_draft_before_12_weeks_has_no_impact_exercise(specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    assert all("impact" not in item.tags for item in items(version))
    drafted = [e for phase in version.draft["phases"] for e in phase["exercises"]]
    assert drafted
    assert all("impact" not in e["tags"] for e in drafted)
    assert "S-PP-01" in {f["id"] for f in version.draft["rules_fired"]}


def test_an_empty_phase_shows_why_on_the_program_page(as_user, specialist_user):
    version = postpartum_draft(specialist_user, weeks=8)
    empty = next(p for p in version.draft["phases"] if not p["exercises"])
    phase = version.phases.get(key=empty["key"])
    assert phase.note == empty["note"]
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk]))
    assert page.status_code == 200
    assert empty["note"] in page.text
    assert "No exercise in this phase." in page.text


def test_a_phase_note_is_kept_when_the_published_version_is_edited(specialist_user):
    version = services.publish(postpartum_draft(specialist_user, weeks=8), by=specialist_user)
    copy = services.new_version(version, by=specialist_user)
    notes = {p.key: p.note for p in version.phases.all()}
    assert any(notes.values())
    assert {p.key: p.note for p in copy.phases.all()} == notes


def test_the_program_page_and_the_plan_pdf_write_each_dose_alike(
    as_user, specialist_user, client_record
):
    version = draft_program(client_record, specialist_user)
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    items = list(ProgramExercise.objects.filter(phase__version=version))
    cards = {card.slug: card for card in client_plan_for(version).exercises}
    assert items
    for item in items:
        assert f"— {dose_of(item)}" in page
        assert cards[item.exercise.slug].dose == dose_of(item)


def test_the_program_page_links_the_report_and_the_letter_only_when_referred(
    specialist_user, as_user
):
    browser = as_user(specialist_user)
    referred = referred_draft(specialist_user)
    _, plain = published_plan("adult", specialist_user)

    referred_page = browser.get(reverse("programs:version", args=[referred.pk])).content.decode()
    plain_page = browser.get(reverse("programs:version", args=[plain.pk])).content.decode()

    assert reverse("programs:report", args=[referred.pk]) in referred_page
    assert reverse("programs:referral_letter", args=[referred.pk]) in referred_page
    assert reverse("programs:report", args=[plain.pk]) in plain_page
    assert reverse("programs:referral_letter", args=[plain.pk]) not in plain_page


def test_editing_a_published_program_makes_a_new_version(as_user, specialist_user, draft):
    user = as_user(specialist_user)
    user.post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    response = user.post(reverse("programs:new_version", args=[draft.pk]))
    second = ProgramVersion.objects.get(number=2)
    assert response["Location"] == reverse("programs:version", args=[second.pk])
    assert second.program == draft.program
    assert [i.exercise.slug for i in items(second)] == [i.exercise.slug for i in items(draft)]
    user.post(reverse("programs:item_remove", args=[items(second)[0].pk]))
    assert len(items(draft)) == len(items(second)) + 1


def test_rerun_under_the_same_rules_changes_nothing(as_user, specialist_user, draft):
    response = as_user(specialist_user).get(reverse("programs:rerun", args=[draft.pk]))
    assert response.context["result"].changes == ()
    assert "No exercise would change." in response.text


def test_rerun_after_a_rule_edit_shows_what_changes_and_why(as_user, specialist_user, draft):
    row = draft.ruleset.rows.get(rule_id="R-FHP-01")
    body = dict(row.body)
    body["then"] = dict(body["then"], activate=[])
    services.edit_rule(row, body, by=specialist_user)
    result = (
        as_user(specialist_user).get(reverse("programs:rerun", args=[draft.pk])).context["result"]
    )
    assert result.ruleset_now != result.ruleset_before
    assert any(change.kind == "removed" and "R-FHP-01" in change.rules for change in result.changes)


def test_redraft_makes_a_new_version_under_the_current_rules(as_user, specialist_user, draft):
    as_user(specialist_user).post(reverse("programs:publish", args=[draft.pk]), CONFIRMED)
    as_user(specialist_user).post(reverse("programs:redraft", args=[draft.pk]))
    assert Program.objects.get().versions.count() == 2


@pytest.mark.parametrize(
    "name", ["programs:version", "programs:rerun", "programs:publish", "programs:new_version"]
)
def test_colleague_gets_404_on_program_urls(as_user, colleague, draft, name):
    method = "get" if name in ("programs:version", "programs:rerun") else "post"
    response = getattr(as_user(colleague), method)(reverse(name, args=[draft.pk]))
    assert response.status_code == 404


def test_colleague_cannot_generate_from_someone_elses_assessment(as_user, colleague, assessment):
    response = as_user(colleague).post(reverse("programs:generate", args=[assessment.pk]))
    assert response.status_code == 404
    assert not Program.objects.exists()


def test_program_page_query_count_is_bounded(
    as_user, specialist_user, draft, django_assert_max_num_queries
):
    user = as_user(specialist_user)
    with django_assert_max_num_queries(15):
        user.get(reverse("programs:version", args=[draft.pk]))


# --- Download links, each in its real state: active, expired or revoked ---------------------------


def _row(page: str, link) -> str:
    start = page.index(f"<td>#{link.pk}</td>")
    return page[start : page.index("</tr>", start)]


def test_an_expired_link_is_listed_as_expired_without_a_revoke_button(
    as_user, specialist_user, client_record
):
    version = published_program(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "expired" in row
    assert "active" not in row
    assert "Revoke" not in row


def test_a_live_link_is_active_with_a_revoke_button(as_user, specialist_user, client_record):
    version = published_program(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "active" in row
    assert "Revoke" in row


def test_a_revoked_link_says_when_and_offers_nothing(as_user, specialist_user, client_record):
    version = published_program(client_record, specialist_user)
    link, _ = sharing.create_share_link(version, by=specialist_user)
    sharing.revoke_link(link)
    page = as_user(specialist_user).get(reverse("programs:version", args=[version.pk])).text
    row = _row(page, link)
    assert "revoked" in row
    assert "Revoke" not in row


# --- "Why": one short sentence, the rule ids behind a disclosure ----------------------------------


ENGINE_WHY = (
    "Releases levator scapulae, upper trapezius, for upper crossed pattern (R-UCS-01); "
    "forward head posture (R-FHP-01); overhead squat: head protrudes forward (R-OHS-HF-01)."
)


def test_the_short_why_keeps_what_the_exercise_does_and_its_first_reason():
    assert short_why(ENGINE_WHY) == (
        "Releases levator scapulae, upper trapezius, for upper crossed pattern and 2 more reasons."
    )


def test_the_short_why_of_an_easier_version_says_so_without_rule_ids():
    text = (
        "Easier version of Jog on the spot, which S-PP-01 leaves out (postpartum impact "
        "before 12 weeks). Activates gluteus medius, for the postpartum stage (R-PP-EARLY-01)."
    )
    assert short_why(text) == "Easier version of Jog on the spot, for the postpartum stage."


def test_a_why_written_by_the_specialist_is_kept_as_it_is():
    assert short_why("Added by the specialist.") == "Added by the specialist."


def test_every_why_on_the_page_is_one_sentence_without_rule_ids(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    lines = re.findall(r"<strong>Why:</strong> (.*?)</div>", page.text)
    assert lines
    for line in lines:
        assert not re.search(r"\b[A-Z]+-[A-Z0-9]+-\d+\b", line), line
        assert ". " not in line, line
        assert line.endswith("."), line


def test_the_rule_ids_are_behind_a_disclosure(as_user, specialist_user, draft):
    page = as_user(specialist_user).get(reverse("programs:version", args=[draft.pk]))
    disclosures = re.findall(r'<details class="small why-details">(.*?)</details>', page.text, re.S)
    assert disclosures
    assert any("R-FHP-01" in disclosure for disclosure in disclosures)
