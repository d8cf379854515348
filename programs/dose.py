"""How much of an exercise, written one way on the program page, the re-run page, the portal
and the plan PDF (pure): "2 × 12 reps, hold 5 s, tempo 4/2/2", "1 × 10 min"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

AS_SHOWN = "as shown"  # neither repetitions nor a hold: the cues say how long


def duration(seconds: int) -> str:
    """A time in the largest unit that reads naturally: "30 s", "2 min", "1 min 30 s"."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def amount(reps: int | None, hold_s: int | None) -> str:
    """Repetitions and time of one set: "12 reps", "hold 30 s", "10 reps, hold 5 s", "10 min".

    A minute or more is a timed bout (a walk, marching), not a held position, so it reads
    "10 min" rather than "hold 600 s"; "" when neither is given.
    """
    parts = []
    if reps:
        parts.append(f"{reps} rep{'s' if reps != 1 else ''}")
    if hold_s:
        if hold_s < 60:
            parts.append(f"hold {duration(hold_s)}")
        else:
            parts.append(f"{duration(hold_s)}{' each' if reps and reps > 1 else ''}")
    return ", ".join(parts)


def dose_text(
    sets: int | None, reps: int | None, hold_s: int | None, tempo: str | None = None
) -> str:
    """The whole dose on one line: "2 × 12 reps, tempo 4/2/2"; "as shown" when empty."""
    per_set = amount(reps, hold_s)
    if sets and per_set:
        head = f"{sets} × {per_set}"
    elif sets:
        head = f"{sets} set{'s' if sets != 1 else ''}"
    else:
        head = per_set
    parts = [head] if head else []
    if tempo:
        parts.append(f"tempo {tempo}")
    return ", ".join(parts) or AS_SHOWN


def dose_of(item: Any) -> str:
    """``dose_text`` of a program item or a draft exercise (an object or a mapping)."""
    values = item if isinstance(item, Mapping) else vars(item)
    return dose_text(
        values.get("sets"), values.get("reps"), values.get("hold_s"), values.get("tempo")
    )
