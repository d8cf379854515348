"""The one door to client records: scope decides 404 (core.access decides 403 by role)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Client, ClientQuerySet


def get_client_for(user, pk: int) -> Client:
    """The client if it is in the user's scope (with screening status), else 404."""
    return get_object_or_404(
        Client.objects.for_user(user).with_status().select_related("specialist", "practice"),
        pk=pk,
    )


def clients_for(user) -> ClientQuerySet:
    """Every client in the user's scope, archived ones included (the list narrows them)."""
    return Client.objects.for_user(user)
