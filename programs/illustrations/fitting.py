"""An authoring aid: nudge chosen joint angles until a pose's contacts close.

Used by ``manage.py render_pose --fit``; never at render time. It prints angles for the
author to copy into the pose file, so the file stays the one source.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from . import body
from .contacts import contact_gap, pass_throughs, prop_solids
from .poses import Pose
from .scene import drawn_positions, figure_for

_STEPS = (16.0, 8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.1)


def cost(pose: Pose) -> float:
    """Squared open contacts and pass-throughs over all key positions (metres squared)."""
    solids = prop_solids(pose.props, pose.view)
    total = 0.0
    for name in drawn_positions(pose):
        key = pose.positions[name]
        figure = figure_for(pose, key)
        for contact in key.contacts:
            g = contact_gap(figure, contact.part, contact.prop, solids)
            total += max(g - 0.001, 0.0) ** 2
        total += sum(depth**2 for _, _, depth in pass_throughs(figure, solids))
    return total


def _with(pose: Pose, position: str, angle: str, value: float) -> Pose:
    if position.startswith("props"):  # "props1.x": move the first prop
        index = int(position[5:]) - 1
        moved = list(pose.props)
        moved[index] = replace(moved[index], **{angle: value})
        return replace(pose, props=tuple(moved))
    positions = dict(pose.positions)
    key = positions[position]
    if angle == "x":
        positions[position] = replace(key, x=value)
    else:
        positions[position] = replace(key, angles=MappingProxyType({**key.angles, angle: value}))
    return replace(pose, positions=MappingProxyType(positions))


def fit(pose: Pose, variables: list[str]) -> tuple[Pose, float]:
    """Coordinate descent on ``start.near_knee``, ``end.x`` or ``props2.x`` (a prop's place)."""
    for _ in range(3):  # a second pass often leaves a shallow local minimum
        pose, best = _descend(pose, variables)
        if best <= 1e-9:
            break
    return pose, best


def _descend(pose: Pose, variables: list[str]) -> tuple[Pose, float]:
    allowed = body.ranges(pose.view)
    best = cost(pose)
    for step in _STEPS:
        improved = True
        while improved and best > 1e-9:
            improved = False
            for variable in variables:
                position, angle = variable.split(".")
                if position.startswith("props"):
                    current = getattr(pose.props[int(position[5:]) - 1], angle) or 0.0
                else:
                    key = pose.positions[position]
                    current = key.x if angle == "x" else key.angles.get(angle, 0.0)
                metric = angle in ("x", "y")
                low, high = (-1.5, 2.0) if metric else allowed[_joint(angle)]
                for delta in (step / 200, -step / 200) if metric else (step, -step):
                    value = min(high, max(low, current + delta))
                    candidate = _with(pose, position, angle, value)
                    c = cost(candidate)
                    if c < best - 1e-12:
                        pose, best, improved = candidate, c, True
                        break
    return pose, best


def _joint(angle: str) -> str:
    """``near_hip_flexion`` -> ``hip_flexion``; ``trunk`` -> ``trunk``."""
    side, _, joint = angle.partition("_")
    return joint if side in ("near", "far", "left", "right") else angle
