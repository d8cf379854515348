"""Exercise poses: the strict reader of ``programs/data/poses/*.toml`` (format in its README).

Each file sits beside the exercise file of the same name and holds one table per exercise
slug. Every failure names the file, the slug and the field. The pose set's version is a
hash of the parsed poses, like the library's.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

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
_POSE_KEYS = {"view", "facing", "motion", "alt", "props", "contacts", "mover", *POSITION_NAMES}
_POSITION_KEYS = {"trunk", "lumbar", "neck", "head", "pin", "x", "on", "contacts"}


class PoseError(ValueError):
    """A pose file that does not follow the format; names the file, slug and field."""

    def __init__(self, where: str, field: str, message: str) -> None:
        super().__init__(f"{where}: {field}: {message}")
        self.where = where
        self.field = field
        self.message = message


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


def load_poses(directory: Path | None = None) -> PoseSet:
    """Read and validate every ``*.toml`` in ``directory`` (default: shipped poses, cached)."""
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@cache
def _load_default() -> PoseSet:
    return _load(POSES_DIR)


def _load(directory: Path) -> PoseSet:
    docs: dict[str, Any] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            docs[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise PoseError(path.name, "toml", str(exc)) from exc
    return parse_poses(docs)


def parse_poses(docs: Mapping[str, Any]) -> PoseSet:
    """Validate parsed TOML documents (file name -> document) into a ``PoseSet``."""
    poses: dict[str, Pose] = {}
    files: dict[str, str] = {}
    for name in sorted(docs):
        doc = docs[name]
        if not isinstance(doc, dict):
            raise PoseError(name, "document", "expected a TOML document")
        for slug, raw in doc.items():
            if slug in poses:
                raise PoseError(f"{name} {slug}", "slug", f"already posed in {files[slug]}")
            poses[slug] = parse_pose(slug, raw, where=f"{name} {slug}")
            files[slug] = name
    return PoseSet(MappingProxyType(poses), MappingProxyType(files), _version(poses))


def parse_pose(slug: str, raw: Any, *, where: str | None = None) -> Pose:
    """One exercise's pose table, validated; ``where`` prefixes error messages."""
    where = where or slug
    if not isinstance(raw, dict):
        raise PoseError(where, "pose", "expected a table [slug] with view, alt and start")
    _unknown(raw, _POSE_KEYS, where, "")
    for key in ("view", "alt", "start"):
        if key not in raw:
            raise PoseError(where, key, "missing required field")
    view = _choice(raw, "view", body.VIEWS, where)
    facing = _choice(raw, "facing", FACINGS, where, default="right")
    motion = _choice(raw, "motion", MOTIONS, where, default="hold")
    alt = raw["alt"]
    if not isinstance(alt, str) or not alt.strip() or alt != alt.strip():
        raise PoseError(where, "alt", "expected trimmed text saying what the body does")
    if len(alt) > ALT_MAX_CHARS:
        raise PoseError(where, "alt", f"at most {ALT_MAX_CHARS} characters, got {len(alt)}")
    names = _names(view)
    pose_props = _props(raw.get("props", []), view, names["points"], where)
    kinds = {"floor"} | {p.kind for p in pose_props}
    touchable = names["parts"] | names["points"]
    contacts = _contacts(raw.get("contacts", []), touchable, kinds, where, "contacts")

    positions: dict[str, KeyPosition] = {}
    previous: dict | None = None
    for name in POSITION_NAMES:
        if name not in raw:
            continue
        if motion == "hold" and name != "start":
            raise PoseError(where, name, "a hold shows one position: give start only")
        table = raw[name]
        if not isinstance(table, dict):
            raise PoseError(where, name, "expected a table")
        merged = _merge(previous, table)
        positions[name] = _position(merged, view, names, kinds, contacts, where, name)
        previous = merged
    if motion != "hold" and "end" not in positions:
        raise PoseError(where, "end", f"a {motion} needs an end position")
    mover = raw.get("mover")
    if mover is not None and mover not in names["points"]:
        raise PoseError(where, "mover", f"unknown body point {mover!r}")
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
def _names(view: str) -> dict[str, frozenset[str]]:
    figure = pose_figure(view, {})
    return {
        "points": frozenset(figure.points),
        "parts": frozenset(part.name for part in figure.parts),
        "sides": frozenset(body.SIDES[view]),
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


def _position(
    table: dict, view: str, names: dict, kinds: set, contacts: tuple, where: str, name: str
) -> KeyPosition:
    sides = body.SIDES[view]
    _unknown(table, _POSITION_KEYS | set(sides), where, f"{name}.")
    allowed = body.ranges(view)
    angles: dict[str, float] = {}
    for joint in body.TRUNK_JOINTS:
        if joint in table:
            angles[joint] = _angle(table[joint], allowed[joint], where, f"{name}.{joint}")
    first, second = sides
    for side in sides:
        limb = table.get(side, table.get(first, {}) if side == second else {})
        if not isinstance(limb, dict):
            raise PoseError(where, f"{name}.{side}", "expected a table of joint angles")
        if side == second and side in table and first in table:
            limb = {**table[first], **table[second]}  # the second side repeats the first
        joints = [j for j in body.LIMB_JOINTS if j in allowed]
        _unknown(limb, set(joints), where, f"{name}.{side}.")
        for joint, value in limb.items():
            angles[f"{side}_{joint}"] = _angle(
                value, allowed[joint], where, f"{name}.{side}.{joint}"
            )
    pin = table.get("pin", "pelvis")
    if pin not in names["points"]:
        raise PoseError(where, f"{name}.pin", f"unknown body point {pin!r}")
    x = _number(table.get("x", 0.0), PIN_X_RANGE, where, f"{name}.x")
    on = table.get("on", "floor")
    if on not in ("floor", "chair", "step", "roller", "ball"):
        raise PoseError(where, f"{name}.on", "expected floor, chair, step, roller or ball")
    if on != "floor" and on not in kinds:
        raise PoseError(where, f"{name}.on", f"no {on} among the props")
    if "contacts" in table:
        touchable = names["parts"] | names["points"]
        contacts = _contacts(table["contacts"], touchable, kinds, where, f"{name}.contacts")
    return KeyPosition(MappingProxyType(angles), pin, x, on, contacts)


def _props(raw: Any, view: str, points: frozenset[str], where: str) -> tuple[Prop, ...]:
    if not isinstance(raw, list):
        raise PoseError(where, "props", 'expected a list of tables like { kind = "mat" }')
    result = []
    for number, table in enumerate(raw, start=1):
        field = f"props[{number}]"
        if not isinstance(table, dict) or "kind" not in table:
            raise PoseError(where, field, "expected a table with a kind")
        kind = table["kind"]
        if kind not in props.FIELDS:
            raise PoseError(where, f"{field}.kind", f"unknown prop {kind!r}; expected one of "
                            f"{', '.join(props.KINDS)}")  # fmt: skip
        required, optional = props.FIELDS[kind]
        _unknown(table, {"kind", *required, *optional}, where, f"{field}.")
        for key in required:
            if key not in table:
                raise PoseError(where, f"{field}.{key}", f"a {kind} needs {key}")
        values: dict[str, Any] = {"kind": kind}
        if "x" in table:
            values["x"] = _number(table["x"], PROP_X_RANGE, where, f"{field}.x")
        if "y" in table:
            values["y"] = _number(table["y"], PROP_Y_RANGE, where, f"{field}.y")
        if "facing" in table:
            values["facing"] = _choice(table, "facing", FACINGS, where, prefix=f"{field}.")
        if "height" in table:
            bounds = props.CHAIR_SEAT_HEIGHTS if kind == "chair" else props.STEP_HEIGHTS
            values["height"] = _number(table["height"], bounds, where, f"{field}.height")
        if "depth" in table:
            values["depth"] = _number(table["depth"], props.STEP_DEPTHS, where, f"{field}.depth")
        if "size" in table:
            values["size"] = _choice(
                table, "size", tuple(props.BALL_DIAMETERS), where, prefix=f"{field}."
            )
        for flag in ("along", "beside"):
            if flag in table:
                if not isinstance(table[flag], bool):
                    raise PoseError(where, f"{field}.{flag}", "expected true or false")
                values[flag] = table[flag]
        if "length" in table:
            values["length"] = _number(table["length"], (0.2, 2.0), where, f"{field}.length")
        ends = []
        for key in ("from", "to", "at"):
            if key not in table:
                continue
            end = table[key]
            if isinstance(end, str):
                if end not in points:
                    raise PoseError(where, f"{field}.{key}", f"unknown body point {end!r}")
                ends.append(end)
            elif key == "to" and kind in props.BAND_KINDS and _is_point(end):
                ends.append((float(end[0]), float(end[1])))
            else:
                raise PoseError(
                    where, f"{field}.{key}", "expected a body point name or, for to, [x, y]"
                )
        values["ends"] = tuple(ends)
        result.append(Prop(**values))
    return tuple(result)


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and all(math.isfinite(v) and -2.0 <= v <= 2.5 for v in value)
    )


def _contacts(raw: Any, parts: frozenset, kinds: set, where: str, field: str) -> tuple:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise PoseError(where, field, 'expected a list like ["near_foot:floor"]')
    result = []
    for text in raw:
        part, _, kind = text.partition(":")
        if part not in parts:
            raise PoseError(where, field, f"unknown body part or point {part!r} in {text!r}")
        if kind not in props.SOLID:
            raise PoseError(where, field, f"{text!r}: a contact is with one of {props.SOLID}")
        if kind not in kinds and not (kind == "mat" and "floor" in kinds):
            raise PoseError(where, field, f"{text!r}: no {kind} among the props")
        result.append(Contact(part, kind))
    return tuple(result)


def _unknown(table: dict, allowed: set, where: str, prefix: str) -> None:
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise PoseError(where, f"{prefix}{extra[0]}", f"unknown field; expected one of "
                        f"{', '.join(sorted(allowed))}")  # fmt: skip


def _choice(
    raw: dict, key: str, allowed: tuple, where: str, *, default=None, prefix: str = ""
) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        raise PoseError(where, f"{prefix}{key}", f"unknown value {value!r}; expected one of "
                        f"{', '.join(allowed)}")  # fmt: skip
    return value


def _number(value: Any, bounds: tuple[float, float], where: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PoseError(where, field, f"expected a number, got {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise PoseError(where, field, f"expected {low:g} to {high:g}, got {value:g}")
    return float(value)


def _angle(value: Any, bounds: tuple[float, float], where: str, field: str) -> float:
    return _number(value, bounds, where, f"{field} (degrees)")


def _version(poses: Mapping[str, Pose]) -> str:
    def plain(value):
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        return value

    canonical = {slug: plain(pose) for slug, pose in poses.items()}
    payload = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
