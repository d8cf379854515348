"""Exercise illustrations drawn from pose data: a 2-D body model, its props and two outputs.

Pure Python, no database. ``poses`` reads ``programs/data/poses/*.toml``; ``kinematics``
turns one key position into body geometry; ``scene`` lays out a whole illustration once;
``svg`` and ``drawing`` write that same scene for the web and for reportlab's canvas.
The authoring guide is ``programs/data/poses/README.md``.
"""

from .drawing import draw_scene, scene_height, scene_operators, shipped_operators
from .poses import Pose, load_poses
from .scene import build_scene, scene_of
from .svg import render_svg

__all__ = [
    "Pose",
    "build_scene",
    "draw_scene",
    "load_poses",
    "render_svg",
    "scene_height",
    "scene_of",
    "scene_operators",
    "shipped_operators",
]
