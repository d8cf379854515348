"""Errors as JSON naming the field that caused them, as DRF words them; the pages' own
refusals (Django's ValidationError from a service) and optimistic-lock conflicts too."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from core import locking

CONFLICT = "Someone saved this record since you read it: read it again, then send your change."


def handle(exc, context):
    """DRF's handler, plus a service's ValidationError (400, by field) and a Conflict (409)."""
    if isinstance(exc, DjangoValidationError):
        return Response(as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, locking.Conflict):
        return Response({"detail": CONFLICT}, status=status.HTTP_409_CONFLICT)
    return exception_handler(exc, context)


def form_errors(errors) -> dict[str, list[str]]:
    """A page form's errors (``form.errors``) by JSON field; the form's own errors, not
    tied to a field, under "non_field_errors" as DRF names them."""
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in errors.items()
    }
