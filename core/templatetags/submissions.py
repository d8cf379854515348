"""``{% submission_token %}``: the one-time token of a hand-written create form."""

from django import template
from django.utils.html import format_html

from core import submissions

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden input with a fresh token (clients/submissions.py), like ``{% csrf_token %}``."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', submissions.FIELD, submissions.new_token()
    )
