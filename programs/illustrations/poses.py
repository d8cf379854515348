"""Exercise poses: the strict reader of ``programs/data/poses/*.toml`` (format in its README).

Each file sits beside the exercise file of the same name and holds one table per exercise
slug. Every failure names the file, the slug and the field. The pose set's version is a
hash of the parsed poses, like the library's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.data_files import (
    REQUIRED,
    DataFileError,
    Table,
    content_digest,
    one_of,
    read_toml_files,
    shipped_by_default,
)

from . import body, props
from .kinematics import pose_figure
from .props import Prop

POSES_DIR = Path(__file__).resolve().parent.parent / "data" / "poses"

MOTIONS = ("hold", "move", "roll")
POSITION_NAMES = ("start", "middle", "end")
FACINGS = ("right", "left")
ALT_MAX_CHARS = 240
PIN_X_RANGE = (-1.5, 1.5)
PROP_X_RANGE = (-1.5, 1.5)
PROP_Y_RANGE = (0.0, 2.0)
PROP_LENGTH_RANGE = (0.2, 2.0)


# The old name, kept until programs/illustrations/__init__.py stops importing it.


@dataclass(frozen=True)
class Contact:
    """A body part or point that should touch a prop kind (``near_hand:floor``)."""

    part: str
    prop: str

    def __str__(self) -> str:
        return f"{self.part}:{self.prop}"


@dataclass(frozen=True)
class KeyPosition:
    angles: Mapping[str, float]  # flat: "trunk", "near_knee"...
    pin: str
    x: float
    on: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Pose:
    slug: str
    view: str
    facing: str
    motion: str
    alt: str
    props: tuple[Prop, ...]
    positions: Mapping[str, KeyPosition]  # start, [middle], [end], in that order
    mover: str | None

    @property
    def keys(self) -> tuple[KeyPosition, ...]:
        return tuple(self.positions.values())


@dataclass(frozen=True)
class PoseSet:
    """Poses by slug, the file each came from, and the content version."""

    poses: Mapping[str, Pose]
    files: Mapping[str, str]  # slug -> file name
    version: str

    def get(self, slug: str) -> Pose | None:
        return self.poses.get(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self.poses

    def __len__(self) -> int:
        return len(self.poses)


@shipped_by_default(POSES_DIR)
def load_poses(directory: Path) -> PoseSet:
    """Read and validate every ``*.toml`` in ``directory`` (default: shipped poses, cached)."""
    return parse_poses(read_toml_files(directory))


def parse_poses(docs: Mapping[str, Any]) -> PoseSet:
    """Validate parsed TOML documents (file name -> document) into a ``PoseSet``."""
    poses: dict[str, Pose] = {}
    files: dict[str, str] = {}
    for name in sorted(docs):
        doc = Table(docs[name], file=name, what="a TOML document")
        for slug, raw in doc.data.items():
            if slug in poses:
                raise DataFileError(name, "slug", f"already posed in {files[slug]}", record=slug)
            poses[slug] = parse_pose(slug, raw, file=name)
            files[slug] = name
    return PoseSet(MappingProxyType(poses), MappingProxyType(files), _version(poses))


def parse_pose(slug: str, raw: Any, *, file: str | None = None) -> Pose:
    """One exercise's pose table, validated; errors name ``file`` and the slug."""
    table = Table(raw, file=file, record=slug, what="a table [slug] with view, alt and start")
    view = table.choice("view", body.VIEWS)
    facing = table.choice("facing", FACINGS, default="right")
    motion = table.choice("motion", MOTIONS, default="hold")
    alt = table.text("alt", max_chars=ALT_MAX_CHARS)
    names = _names(view)
    pose_props = _props(table, view, names["points"])
    kinds = {"floor"} | {p.kind for p in pose_props}
    contacts = (
        _contacts(table, "contacts", names["touchable"], kinds) if table.has("contacts") else ()
    )

    positions: dict[str, KeyPosition] = {}
    previous: dict | None = None
    for name in POSITION_NAMES:
        if name != "start" and not table.has(name):
            continue
        if motion == "hold" and name != "start":
            table.fail(name, "a hold shows one position: give start only")
        merged = _merge(previous, table.take(name, dict, "a table", required=True))
        position = Table(merged, file=file, record=slug, field=name)
        positions[name] = _position(position, view, names, kinds, contacts)
        previous = merged
    if motion != "hold" and "end" not in positions:
        table.fail("end", f"a {motion} needs an end position")
    mover = table.choice("mover", names["point_list"]) if table.has("mover") else None
    table.done()
    return Pose(
        slug=slug,
        view=view,
        facing=facing,
        motion=motion,
        alt=alt,
        props=pose_props,
        positions=MappingProxyType(positions),
        mover=mover,
    )


@cache
def _names(view: str) -> dict[str, Any]:
    figure = pose_figure(view, {})
    points = frozenset(figure.points)
    parts = frozenset(part.name for part in figure.parts)
    allowed = body.ranges(view)
    return {
        "points": points,
        "point_list": tuple(sorted(points)),
        "parts": parts,
        "touchable": parts | points,
        "sides": frozenset(body.SIDES[view]),
        "limb_joints": frozenset(j for j in body.LIMB_JOINTS if j in allowed),
    }


def _merge(previous: dict | None, table: dict) -> dict:
    """A later position repeats the one before it, except what it sets (sides key by key)."""
    if previous is None:
        return dict(table)
    merged = dict(previous)
    for key, value in table.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _position(table: Table, view: str, names: dict, kinds: set, contacts: tuple) -> KeyPosition:
    sides = body.SIDES[view]
    allowed = body.ranges(view)
    angles: dict[str, float] = {}
    for joint in body.TRUNK_JOINTS:
        if table.has(joint):
            angles[joint] = table.number(joint, *allowed[joint], unit="degrees")
    first, second = sides
    limbs = {
        side: table.take(side, dict, "a table of joint angles", required=False) or {}
        for side in sides
    }
    limbs[second] = {**limbs[first], **limbs[second]}  # the second side repeats the first
    limb_joints = names["limb_joints"]
    for side, limb in limbs.items():
        joints = Table(limb, file=table.file, record=table.record, field=table.name(side))
        for joint in limb:
            if joint in limb_joints:
                angles[f"{side}_{joint}"] = joints.number(joint, *allowed[joint], unit="degrees")
        joints.done()
    pin = table.choice("pin", names["point_list"], default="pelvis")
    x = table.number("x", *PIN_X_RANGE)
    on = table.choice("on", ("floor", "chair", "step", "roller", "ball"), default="floor")
    if on != "floor" and on not in kinds:
        table.fail("on", f"no {on} among the props")
    if table.has("contacts"):
        contacts = _contacts(table, "contacts", names["touchable"], kinds)
    table.done()
    return KeyPosition(MappingProxyType(angles), pin, 0.0 if x is None else x, on, contacts)


def _props(pose: Table, view: str, points: frozenset[str]) -> tuple[Prop, ...]:
    raw = pose.take("props", list, 'a list of tables like { kind = "mat" }', required=False)
    result = []
    # Numbered from 1, as render_pose --fit names them (props1.x).
    for number, item in enumerate(raw or [], start=1):
        table = Table(
            item, file=pose.file, record=pose.record, field=f"props[{number}]", what="a table"
        )
        kind = table.choice("kind", props.KINDS)
        required, optional = props.FIELDS[kind]
        table.only({"kind", *required, *optional})
        for key in required:
            if not table.has(key):
                table.fail(key, f"{REQUIRED} for a {kind}")
        values: dict[str, Any] = {"kind": kind}
        numbers = {
            "x": PROP_X_RANGE,
            "y": PROP_Y_RANGE,
            "height": props.CHAIR_SEAT_HEIGHTS if kind == "chair" else props.STEP_HEIGHTS,
            "depth": props.STEP_DEPTHS,
            "length": PROP_LENGTH_RANGE,
        }
        for key, bounds in numbers.items():
            if table.has(key):
                values[key] = table.number(key, *bounds)
        if table.has("facing"):
            values["facing"] = table.choice("facing", FACINGS)
        if table.has("size"):
            values["size"] = table.choice("size", tuple(props.BALL_DIAMETERS))
        for flag in ("along", "beside"):
            if table.has(flag):
                values[flag] = table.flag(flag)
        ends = []
        for key in ("from", "to", "at"):
            end = table.take(
                key, (str, list), "a body point name or, for to, [x, y]", required=False
            )
            if isinstance(end, str):
                if end not in points:
                    table.fail(key, one_of(end, sorted(points)))
                ends.append(end)
            elif end is not None:
                if not (key == "to" and kind in props.BAND_KINDS and _is_point(end)):
                    table.fail(key, "must be a body point name or, for to, [x, y]")
                ends.append((float(end[0]), float(end[1])))
        values["ends"] = tuple(ends)
        table.done()
        result.append(Prop(**values))
    return tuple(result)


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and all(math.isfinite(v) and -2.0 <= v <= 2.5 for v in value)
    )


def _contacts(table: Table, key: str, parts: frozenset, kinds: set) -> tuple[Contact, ...]:
    """Contacts written "part:prop"; every failure is the list's field (``start.contacts``)."""
    raw = table.take(key, list, 'a list like ["near_foot:floor"]', required=True)
    if not all(isinstance(c, str) for c in raw):
        table.fail(key, 'must be a list like ["near_foot:floor"]')
    result = []
    for text in raw:
        part, _, kind = text.partition(":")
        if part not in parts:
            table.fail(key, f"unknown body part or point {part!r} in {text!r}")
        if kind not in props.SOLID:
            table.fail(key, f"{text!r}: a contact is with one of {', '.join(props.SOLID)}")
        if kind not in kinds and not (kind == "mat" and "floor" in kinds):
            table.fail(key, f"{text!r}: no {kind} among the props")
        result.append(Contact(part, kind))
    return tuple(result)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _version(poses: Mapping[str, Pose]) -> str:
    def plain(value):
        if type(value) in _SCALARS:  # most values: decided without the checks below
            return value
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        return value

    canonical = {slug: plain(pose) for slug, pose in poses.items()}
    return content_digest(canonical, default=str)[:12]
