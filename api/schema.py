"""How the OpenAPI schema describes the token and the error answers every operation may
give (drf-spectacular's extension points)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from your account page (rlg_…).",
        }


class Detail(serializers.Serializer):
    """An error that is not about one field."""

    detail = serializers.CharField()


class FieldErrors(serializers.Serializer):
    """What was refused, by field: {"field": ["message", ...]}; "non_field_errors" for the
    record as a whole; a list's items by their index."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the errors every operation may answer written down:
    401 and 403 (who calls), 429 (too fast), 404 for a record out of reach, 400 for a
    refused write and 409 where a write carries a lock_version (``view.conflicts``: the
    methods or a viewset's actions that do)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        errors = {
            "401": ("No valid token or session.", Detail),
            "403": ("Not a practice member, or a CSRF check failed.", Detail),
            "429": ("Too many requests with this token: wait, then retry.", Detail),
        }
        if "{" in path:
            errors["404"] = ("No such record within your clients.", Detail)
        if method in WRITES:
            errors["400"] = ("The request was refused: the fields say why.", FieldErrors)
        conflicts = getattr(self.view, "conflicts", ())
        if method in conflicts or getattr(self.view, "action", None) in conflicts:
            errors["409"] = ("Saved by someone else since your lock_version.", Detail)
        responses = operation.setdefault("responses", {})
        for code, (description, serializer) in errors.items():
            component = self.resolve_serializer(serializer, "response")
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return operation
