"""The birth types of a postpartum client, and the one that applies when none was recorded (pure).

One rule for every reader (the findings' clearance wait, the engine's safety rules, the web
path and the case format): a birth whose type was not recorded is treated as a caesarean,
the safe side, since its wait before structured exercise is the longer (6 weeks after a
vaginal birth, 8 after a caesarean, reference §7.4) and its safety rules the stricter.
"""

from __future__ import annotations

DELIVERY_TYPES = ("vaginal", "caesarean")
WHEN_NOT_RECORDED = "caesarean"


def delivery_type_applied(recorded: str | None) -> str:
    """The birth type findings and rules go by: the recorded one, else caesarean."""
    return recorded if recorded in DELIVERY_TYPES else WHEN_NOT_RECORDED
