"""The exercise library page's parts: its filter, labels and illustrations (the page's read
is ``selectors.library_page``, its view ``views.library``).

Illustrations come from the pose files (``programs.illustrations``): drawings are not
clinical content, and a published plan freezes its own copy in its PDF, so the page always
shows the current drawing. Each SVG is rendered once per pose-set version and slug.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from django import forms
from django.utils.safestring import mark_safe

from .illustrations import load_poses, render_svg, scene_of
from .library import POPULATIONS, POSITIONS

PHASE_TITLES = {
    "inhibit": "Release (inhibit)",
    "lengthen": "Stretch (lengthen)",
    "activate": "Activate",
    "integrate": "Put it together (integrate)",
}


def label(value: str) -> str:
    """A library value as read: "hip_hinge" -> "Hip hinge"."""
    return value.replace("_", " ").capitalize()


class LibraryFilter(forms.Form):
    position = forms.ChoiceField(
        required=False, choices=[("", "Any position"), *((p, label(p)) for p in POSITIONS)]
    )
    population = forms.ChoiceField(
        required=False, choices=[("", "Any client"), *((p, label(p)) for p in POPULATIONS)]
    )


@lru_cache(maxsize=512)
def _svg(version: str, slug: str, title: str) -> str:
    return render_svg(replace(scene_of(slug), title=title), id_prefix="library")


def illustration(slug: str, title: str) -> str | None:
    """The exercise's illustration as inline SVG markup, or None when it has no pose yet."""
    poses = load_poses()
    if slug not in poses:
        return None
    return mark_safe(_svg(poses.version, slug, title))  # noqa: S308 - built here, text escaped
