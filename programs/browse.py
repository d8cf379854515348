"""The exercise library page: every exercise with its illustration, for a specialist to browse.

Illustrations come from the pose files (``programs.illustrations``): drawings are not
clinical content, and a published plan freezes its own copy in its PDF, so the page always
shows the current drawing. Each SVG is rendered once per pose-set version and slug.
"""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from core.access import specialist_required

from .dose import dose_text
from .illustrations import build_scene, load_poses, render_svg
from .library import PHASES, POPULATIONS, POSITIONS
from .services import current_library

PHASE_TITLES = {
    "inhibit": "Release (inhibit)",
    "lengthen": "Stretch (lengthen)",
    "activate": "Activate",
    "integrate": "Put it together (integrate)",
}


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


class LibraryFilter(forms.Form):
    position = forms.ChoiceField(
        required=False, choices=[("", "Any position"), *((p, _label(p)) for p in POSITIONS)]
    )
    population = forms.ChoiceField(
        required=False, choices=[("", "Any client"), *((p, _label(p)) for p in POPULATIONS)]
    )


@lru_cache(maxsize=512)
def _svg(version: str, slug: str, title: str) -> str:
    pose = load_poses().get(slug)
    return render_svg(build_scene(pose, title=title), id_prefix="library")


def illustration(slug: str, title: str) -> str | None:
    """The exercise's illustration as inline SVG markup, or None when it has no pose yet."""
    poses = load_poses()
    if slug not in poses:
        return None
    return mark_safe(_svg(poses.version, slug, title))  # noqa: S308 - built here, text escaped


@require_safe
@specialist_required
def library(request):
    form = LibraryFilter(request.GET or None)
    position = population = ""
    if form.is_valid():
        position = form.cleaned_data["position"]
        population = form.cleaned_data["population"]
    exercises = [
        e
        for e in current_library()
        if (not position or e.position == position)
        and (not population or population in e.populations)
    ]
    phases = []
    for phase in PHASES:
        rows = [
            {
                "exercise": e,
                "dose": dose_text(e.sets, e.reps, e.hold_s, e.tempo),
                "svg": illustration(e.slug, e.name),
                "position": _label(e.position),
                "populations": ", ".join(sorted(e.populations)),
            }
            for e in exercises
            if e.phase == phase
        ]
        if rows:
            phases.append({"key": phase, "title": PHASE_TITLES[phase], "rows": rows})
    return render(
        request,
        "programs/library.html",
        {"form": form, "phases": phases, "count": len(exercises)},
    )
