"""Template filters for domain labels and measured values (formatting only, no queries)."""

from django import template

from assessments.labels import finding_label as _finding_label
from assessments.labels import referral_label as _referral_label
from assessments.measures import measure_label as _measure_label
from assessments.measures import measure_unit
from assessments.photo_angles import LANDMARK_LABELS

register = template.Library()


@register.filter
def finding_label(code: str) -> str:
    return _finding_label(code)


@register.filter
def referral_label(reason: str) -> str:
    return _referral_label(reason)


@register.filter
def measure_label(key: str) -> str:
    return _measure_label(key)


@register.filter
def number(value) -> str:
    """A measured value without needless decimals; 'not measured' when absent."""
    if value is None:
        return "not measured"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@register.filter
def signed(value) -> str:
    """A change with its sign: +2, -1.5, 0."""
    if value is None:
        return "—"
    return f"{value:+g}" if value else "0"


@register.filter
def finding_value(finding) -> str:
    """A finding's value as a reader wants it: the number and unit, or what was observed."""
    unit = measure_unit(finding.measure) if finding.measure else None
    if unit is not None:
        return f"{number(finding.value)} {unit}"
    if isinstance(finding.value, str) and " " in finding.value:
        return finding.value  # a sentence, e.g. the signs that make a pattern
    return f"observed ({finding.side})" if finding.side else "observed"


@register.filter
def words(code: str) -> str:
    """A snake_case code as words: postpartum_impact_before_12_weeks -> postpartum impact..."""
    return str(code).replace("_", " ")


@register.filter
def landmark_label(name: str) -> str:
    """A photo landmark in plain words: c7 -> "C7 (base of the neck)"."""
    return LANDMARK_LABELS.get(name, name)
