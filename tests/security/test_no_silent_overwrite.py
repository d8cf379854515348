"""Two people edit the same assessment or program: the second save is a visible conflict."""

from django.test import Client as Browser
from django.urls import reverse

from assessments.models import Assessment, TechNeck
from programs import services
from programs.models import ProgramExercise
from tests.factories import AssessmentFactory, ConsentFactory


def browser_for(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_second_section_save_from_a_stale_page_is_a_conflict(owner, specialist_user, client_record):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record)
    loaded_at = assessment.lock_version
    url = reverse("assessments:section", args=[assessment.pk, "tech_neck"])
    first = browser_for(specialist_user).post(
        url, {"lock_version": loaded_at, "tech_neck-cva_deg": "46"}
    )
    assert first.status_code == 302
    second = browser_for(owner).post(url, {"lock_version": loaded_at, "tech_neck-cva_deg": "44"})
    assert second.status_code == 409
    assert "Someone else saved a change" in second.text
    assert "46" in second.text  # the other person's value is shown
    assert 'value="44"' in second.text  # and the entry is kept
    assert TechNeck.objects.get(assessment=assessment).cva_deg == 46


def test_saving_again_after_the_conflict_keeps_the_second_entry(
    owner, specialist_user, client_record
):
    ConsentFactory(client=client_record)
    assessment = AssessmentFactory(client=client_record)
    url = reverse("assessments:section", args=[assessment.pk, "tech_neck"])
    browser_for(specialist_user).post(url, {"lock_version": 1, "tech_neck-cva_deg": "46"})
    current = Assessment.objects.get(pk=assessment.pk).lock_version
    again = browser_for(owner).post(url, {"lock_version": current, "tech_neck-cva_deg": "44"})
    assert again.status_code == 302
    assert TechNeck.objects.get(assessment=assessment).cva_deg == 44


def test_second_dose_edit_from_a_stale_page_is_a_conflict(owner, specialist_user, client_record):
    ConsentFactory(client=client_record)
    version = services.generate_program(AssessmentFactory(client=client_record), by=specialist_user)
    item = ProgramExercise.objects.filter(phase__version=version).first()
    url = reverse("programs:item_edit", args=[item.pk])
    loaded_at = version.lock_version
    first = browser_for(specialist_user).post(
        url, {"lock_version": loaded_at, "sets": "3", "reps": "9", "notes": "mine"}
    )
    assert first.status_code == 302
    second = browser_for(owner).post(
        url, {"lock_version": loaded_at, "sets": "1", "reps": "5", "notes": "theirs"}
    )
    assert second.status_code == 409
    assert "notes: mine" in second.text
    item.refresh_from_db()
    assert (item.sets, item.reps, item.notes) == (3, 9, "mine")


def test_a_stale_remove_changes_nothing(owner, specialist_user, client_record):
    ConsentFactory(client=client_record)
    version = services.generate_program(AssessmentFactory(client=client_record), by=specialist_user)
    first, second = ProgramExercise.objects.filter(phase__version=version)[:2]
    loaded_at = version.lock_version
    browser_for(specialist_user).post(
        reverse("programs:item_remove", args=[first.pk]), {"lock_version": loaded_at}
    )
    browser_for(owner).post(
        reverse("programs:item_remove", args=[second.pk]), {"lock_version": loaded_at}
    )
    assert ProgramExercise.objects.filter(pk=second.pk).exists()
