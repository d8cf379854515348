"""The exercise library page: every exercise with its illustration, filtered for a client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.illustrations import load_poses

pytestmark = pytest.mark.django_db


def test_library_page_shows_each_posed_exercise_with_its_illustration(as_user, specialist_user):
    page = as_user(specialist_user).get(reverse("programs:library")).content.decode()
    assert page.count('role="img"') == len(load_poses())
    assert "Foam roll: calves" in page
    assert '<desc id="library-smr-calves-d">Sitting on the floor' in page
    assert "style=" not in page.split("<main", 1)[1]  # the CSP blocks inline styles


def test_library_page_filters_by_position(as_user, specialist_user):
    page = as_user(specialist_user).get(reverse("programs:library"), {"position": "wall"})
    text = page.content.decode()
    assert "Calf stretch at the wall" in text
    assert "Foam roll: calves" not in text


def test_an_unknown_filter_value_is_named_and_everything_is_shown(as_user, specialist_user):
    page = as_user(specialist_user).get(reverse("programs:library"), {"position": "upside_down"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Position: Select a valid choice" in text
    assert "Foam roll: calves" in text
