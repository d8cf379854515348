"""How well the pose model's suggestions land on figures with known landmarks (issue 18).

Runs the offline pose model (``assessments.pose_model``) on every image of the test set
(``bench.pose_testset``: the project's body model drawn in known poses) and compares its
suggestions with the truth:

- per landmark kind and overall, the mean and largest error in pixels and in percent of the
  figure's height (head top to soles), over the landmarks both suggested and true;
- recall (true landmarks suggested) and suggestions for landmarks the truth does not have;
- the derived angles, truth and suggestion both through ``photo_angles.photo_angles``:
  front and back ``shoulder_level`` and ``knee_level`` (signed: the client's left lower is
  positive), side the plumb offsets in percentage points. The side plumb needs the tragus,
  which is never suggested: both documents use the TRUE tragus, so the difference is the
  suggested acromion, trochanter, knee and malleolus alone;
- the time: the model's first load and the median of ``keypoints`` per photo on this CPU.

``python -m bench.pose_accuracy`` prints the result as JSON; ``bench/run.py`` puts it in
bench/results.json under ``pose_suggestions``. Without the model file the result says it was
not measured (``manage.py fetch_pose_model`` installs it).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("shoulder_level", "knee_level")  # the frontal levels the suggestions can give
TIME_LIMIT_MS = 3000  # "a photo gets suggestions in a few seconds on this machine's CPU"


def default_model_path() -> Path:
    from assessments import pose_model

    directory = os.environ.get("POSE_MODEL_DIR") or str(ROOT / "var" / "pose-model")
    return Path(directory) / pose_model.MODEL_FILE


def kind(landmark: str) -> str:
    """A landmark's kind, whatever its side: ``left_acromion`` -> ``acromion``."""
    name = landmark.removeprefix("left_").removeprefix("right_")
    return {"greater_trochanter": "hip", "lateral_malleolus": "ankle"}.get(name, name)


def _signed_levels(result: dict) -> dict[str, float]:
    """Each level in degrees, positive when the client's left side is lower."""
    return {
        level["code"]: level["difference_deg"] * (-1 if level["lower_side"] == "right" else 1)
        for level in result["levels"]
    }


def _plumb(result: dict) -> dict[str, float]:
    return {p["landmark"]: p["offset_pct"] for p in result["plumb"]}


def _stats(values: list[float], digits: int = 1) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), digits),
        "max": round(max(values), digits),
    }


def measure(model_path: Path | None = None, *, repeats: int = 3) -> dict:
    """The accuracy and speed of suggestions on the test set (see the module's docstring)."""
    from assessments import photo_angles, pose_model
    from bench import pose_testset

    path = Path(model_path) if model_path else default_model_path()
    if not path.is_file():
        return {
            "measured": False,
            "reason": f"no pose model at {path} (manage.py fetch_pose_model installs it)",
        }
    started = time.perf_counter()
    pose_model.load.cache_clear()
    model = pose_model.load(path)
    load_ms = (time.perf_counter() - started) * 1000

    samples = pose_testset.build()
    errors_px: dict[str, list[float]] = defaultdict(list)
    errors_pct: dict[str, list[float]] = defaultdict(list)
    level_errors: dict[str, list[float]] = defaultdict(list)
    plumb_errors: dict[str, list[float]] = defaultdict(list)
    times: list[float] = []
    true_count = suggested_true = extra = 0
    missed: dict[str, int] = defaultdict(int)
    guide_px: list[float] = []
    guide_pct: list[float] = []
    per_image = []
    for sample in samples:
        width, height = sample.image.size
        for _ in range(repeats):
            started = time.perf_counter()
            keypoints = model.keypoints(sample.image)
            times.append(time.perf_counter() - started)
        suggestions = pose_model.suggest(keypoints, view=sample.view, width=width, height=height)
        image_errors = {}
        for name, (tx, ty) in sample.truth.items():
            true_count += 1
            if name not in suggestions.landmarks:
                missed[name] += 1
                continue
            suggested_true += 1
            sx, sy = suggestions.landmarks[name]
            error = math.hypot(sx - tx, sy - ty)
            image_errors[name] = round(error, 1)
            for key in (kind(name), "all"):
                errors_px[key].append(error)
                errors_pct[key].append(100 * error / sample.figure_height_px)
        extra += sum(1 for name in suggestions.landmarks if name not in sample.truth)
        for name, (tx, ty) in sample.guides.items():
            if name in suggestions.guides:
                sx, sy = suggestions.guides[name]
                guide_px.append(math.hypot(sx - tx, sy - ty))
                guide_pct.append(100 * guide_px[-1] / sample.figure_height_px)
        # The derived angles, truth and suggestion through the same function.
        truth_result = photo_angles.photo_angles(sample.document(sample.truth))
        suggested = dict(suggestions.landmarks)
        if sample.view in ("left", "right"):
            suggested["tragus"] = sample.guides["tragus"]  # the TRUE tragus in both
            true_doc = sample.document({**sample.truth, "tragus": sample.guides["tragus"]})
            truth_plumb = _plumb(photo_angles.photo_angles(true_doc))
            suggested_plumb = _plumb(photo_angles.photo_angles(sample.document(suggested)))
            for name, value in suggested_plumb.items():
                if name != "tragus" and name in truth_plumb:
                    plumb_errors[name].append(abs(value - truth_plumb[name]))
                    plumb_errors["all"].append(abs(value - truth_plumb[name]))
        else:
            truth_levels = _signed_levels(truth_result)
            suggested_levels = _signed_levels(photo_angles.photo_angles(sample.document(suggested)))
            for code in LEVELS:
                if code in truth_levels and code in suggested_levels:
                    level_errors[code].append(abs(suggested_levels[code] - truth_levels[code]))
        per_image.append(
            {
                "image": sample.case.name,
                "view": sample.view,
                "size": f"{width}x{height}",
                "figure_height_px": round(sample.figure_height_px),
                "errors_px": image_errors,
                "not_suggested": sorted(set(sample.truth) - set(suggestions.landmarks)),
            }
        )
    kinds = sorted(k for k in errors_px if k != "all")
    return {
        "measured": True,
        "model": pose_model.MODEL_NAME,
        "images": len(samples),
        "views": dict(
            sorted(
                {
                    v: sum(1 for s in samples if s.view == v) for v in {s.view for s in samples}
                }.items()
            )
        ),  # fmt: skip
        "truth": "the body model's joint centres (bench/pose_testset.py); side tragus: the "
        "head circle's centre, where the figure draws its ear",
        "error_px": {k: _stats(errors_px[k]) for k in ["all", *kinds]},
        "error_pct_of_height": {k: _stats(errors_pct[k], 2) for k in ["all", *kinds]},
        "recall": {
            "true_landmarks": true_count,
            "suggested": suggested_true,
            "fraction": round(suggested_true / true_count, 3) if true_count else None,
            "not_suggested": dict(sorted(missed.items())),
        },
        "suggestions_without_truth": extra,
        "side_ear_guide": {"px": _stats(guide_px), "pct_of_height": _stats(guide_pct, 2)},
        "angle_error_deg": {
            code: {**_stats(values, 2), "what": "mean absolute difference of the signed level"}
            for code, values in level_errors.items()
        },
        "plumb_error_pct_points": {
            **{k: _stats(v, 2) for k, v in sorted(plumb_errors.items())},
            "note": "side plumb offsets (percent of the malleolus-to-tragus height); the "
            "tragus is never suggested, so both truth and suggestion use the TRUE tragus",
        },
        "per_photo_ms": {
            "value": round(statistics.median(times) * 1000, 1),
            "limit": TIME_LIMIT_MS,
            "met": statistics.median(times) * 1000 <= TIME_LIMIT_MS,
            "what": "median time of the model's keypoints for one photo (two looks), one "
            "thread on this CPU",
        },
        "time": {
            "first_load_ms": round(load_ms, 1),
            "keypoints_median_ms": round(statistics.median(times) * 1000, 1),
            "keypoints_max_ms": round(max(times) * 1000, 1),
            "runs": len(times),
        },
        "per_image": per_image,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    result = measure(Path(argv[0]) if argv else None)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
