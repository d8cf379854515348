"""The one-sentence "Why" the program page shows for an exercise; the full text, with its rule
ids, stays behind a disclosure.

The engine writes each reason as ``<what it does>, for <findings> (<rule ids>); <more>.``,
with ``Easier version of <exercise>, which <rule> leaves out (<reason>).`` in front when it
replaced an excluded exercise (programs/engine.py, ``_why``).
"""

from __future__ import annotations

import re

# "(R-FHP-01, R-UCS-01)": a parenthesis that holds rule ids and nothing else.
_RULE_IDS = re.compile(r"\s*\((?:[A-Z]+(?:-[A-Z0-9]+)+(?:,\s*)?)+\)")
_EASIER = re.compile(r"^Easier version of (?P<name>.+?), which .+?\)\.\s+")
_FOR = ", for "


def short_why(text: str) -> str:
    """One short sentence: what the exercise does and its first reason, without rule ids."""
    text = (text or "").strip()
    easier = _EASIER.match(text)
    rest = text[easier.end() :] if easier else text
    action, found, reasons_text = rest.partition(_FOR)
    if not found:
        return _RULE_IDS.sub("", text)
    reasons = [_RULE_IDS.sub("", r).strip() for r in reasons_text.rstrip(".").split("; ")]
    reasons = [r for r in reasons if r]
    if easier:
        action = f"Easier version of {easier['name']}"
    if not reasons:
        return f"{action}."
    more = len(reasons) - 1
    tail = f" and {more} more reason{'s' if more > 1 else ''}" if more else ""
    return f"{action}, for {reasons[0]}{tail}."
