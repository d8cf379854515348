"""Free-text pain and growth-pain regions saved before the closed vocabulary are migrated."""

import importlib

import pytest
from django.apps import apps

from assessments.findings import BODY_REGIONS
from assessments.models import Youth
from tests.factories import AssessmentFactory

migration = importlib.import_module("assessments.migrations.0003_body_region_vocabulary")


def test_the_migration_knows_the_same_region_ids_as_the_app():
    assert tuple(BODY_REGIONS) == migration.REGION_IDS


@pytest.mark.parametrize(
    ("saved", "region"),
    [
        ("cervical", "neck"),
        ("Neck", "neck"),
        ("lower back", "low_back"),
        ("Low-Back", "low_back"),
        ("back", "low_back"),
        ("groin", "hip"),
        ("ankle", "ankle_foot"),
        ("heel", "heel"),
        ("wrist", "elbow_wrist_hand"),
        ("banana", "other"),
        ("", "other"),
    ],
)
def test_a_saved_wording_maps_to_its_region_id(saved, region):
    assert migration.region_id(saved) == region


@pytest.mark.django_db
def test_saved_pain_and_growth_pain_are_rewritten_to_region_ids():
    assessment = AssessmentFactory()
    cervical = assessment.pain_reports.create(region="cervical", score=3)
    knee = assessment.pain_reports.create(region="knee", score=2)
    youth = Youth.objects.create(assessment=assessment, growth_pain=["Knee", "back", "knee"])
    migration.to_vocabulary(apps, None)
    cervical.refresh_from_db()
    knee.refresh_from_db()
    youth.refresh_from_db()
    assert (cervical.region, knee.region) == ("neck", "knee")
    assert youth.growth_pain == ["knee", "low_back"]
