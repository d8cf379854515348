"""Template filters for program items: their dose and their reason (formatting only)."""

from django import template

from programs.dose import dose_of
from programs.why import short_why

register = template.Library()


@register.filter
def dose(item) -> str:
    """A program item's dose as every page and the plan PDF write it (programs.dose)."""
    return dose_of(item)


@register.filter
def why(item) -> str:
    """The exercise's reason in one short sentence (its rule ids go behind a disclosure)."""
    return short_why(item.why)
