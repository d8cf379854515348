"""core.locking.claimed: a save claims the row at the version its page was loaded at."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment
from core import locking
from tests.factories import AssessmentFactory


def stored(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def save_then_refuse(assessment, *, notes: str) -> None:
    """Claim the row, save a change inside the block, then refuse as a service would."""
    with locking.claimed(Assessment, assessment.pk, assessment.lock_version):
        row = stored(assessment)
        row.notes = notes
        row.save()
        raise ValidationError("refused")


def test_a_claim_at_the_expected_version_runs_the_block_and_moves_the_version_on(db):
    assessment = AssessmentFactory()
    ran = []
    with locking.claimed(Assessment, assessment.pk, assessment.lock_version):
        ran.append(True)
    assert ran == [True]
    assert stored(assessment).lock_version == assessment.lock_version + 1


def test_a_claim_without_a_version_still_moves_it_on(db):
    assessment = AssessmentFactory()
    with locking.claimed(Assessment, assessment.pk, None):
        pass
    assert stored(assessment).lock_version == assessment.lock_version + 1


def test_a_stale_version_is_a_conflict_and_the_block_never_runs(db):
    assessment = AssessmentFactory(notes="theirs")
    loaded_at = assessment.lock_version
    assert locking.claim(Assessment, assessment.pk, loaded_at)  # someone else saved first
    ran = []
    with (
        pytest.raises(locking.Conflict) as conflict,
        locking.claimed(Assessment, assessment.pk, loaded_at),
    ):
        ran.append(True)
    assert ran == []
    assert conflict.value.message == locking.CONFLICT
    assert stored(assessment).lock_version == loaded_at + 1  # only the other save's claim


def test_a_validation_error_in_the_block_undoes_the_claim_and_the_block_s_writes(db):
    assessment = AssessmentFactory(notes="before")
    with pytest.raises(ValidationError):
        save_then_refuse(assessment, notes="during")
    after = stored(assessment)
    assert (after.lock_version, after.notes) == (assessment.lock_version, "before")


def test_after_a_refused_block_the_same_version_can_claim_again(db):
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError):
        save_then_refuse(assessment, notes=assessment.notes)
    with locking.claimed(Assessment, assessment.pk, assessment.lock_version):
        pass
    assert stored(assessment).lock_version == assessment.lock_version + 1


@pytest.mark.parametrize(
    ("data", "version"), [({"lock_version": "3"}, 3), ({"lock_version": "x"}, None), ({}, None)]
)
def test_read_version(data, version):
    assert locking.read_version(data) == version
