"""Assessment writes refuse with their named messages; the comparison's finding diff."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.comparison import finding_changes
from assessments.forms import section_form
from assessments.models import Assessment, TechNeck
from assessments.sections import BY_KEY
from clients.models import Client
from core import locking
from tests.factories import AssessmentFactory, ConsentFactory


def test_finding_changes_sorts_what_went_stayed_and_came():
    changes = finding_changes({"b", "a", "k"}, {"k", "n"})
    assert (changes.resolved, changes.kept, changes.new) == (["a", "b"], ["k"], ["n"])


@pytest.mark.django_db
def test_no_consent_is_refused_with_the_named_message(client_record):
    client = Client.objects.with_status().get(pk=client_record.pk)
    with pytest.raises(ValidationError) as refused:
        services.check_consent(client, guardian_missing=None)
    assert refused.value.messages == [services.CONSENT_REQUIRED]


@pytest.mark.django_db
def test_a_missing_guardian_consent_is_refused_with_its_reason(client_record):
    ConsentFactory(client=client_record)
    client = Client.objects.with_status().get(pk=client_record.pk)
    with pytest.raises(ValidationError) as refused:
        services.check_consent(client, guardian_missing="a guardian's consent")
    assert refused.value.messages == ["a guardian's consent"]
    services.check_consent(client, guardian_missing=None)  # consent given: no error


@pytest.mark.django_db
def test_a_stale_section_save_is_a_conflict_and_saves_nothing(client_record):
    assessment = AssessmentFactory(client=client_record)
    stale = assessment.lock_version
    Assessment.objects.filter(pk=assessment.pk).update(lock_version=stale + 1)
    form = section_form(BY_KEY["tech_neck"], assessment, data={"tech_neck-cva_deg": "46"})
    assert form.is_valid()
    with pytest.raises(locking.Conflict):
        services.save_section(form, assessment=assessment, expected=stale)
    assert not TechNeck.objects.filter(assessment=assessment).exists()
    assert Assessment.objects.get(pk=assessment.pk).lock_version == stale + 1
