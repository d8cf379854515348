"""Which rows belong to a client, live and past, found by introspection.

Deleting a client removes its live rows by cascade (Django's collector finds them). The
audit history (django-simple-history) also keeps the rows of records deleted earlier: a
pain report, a removed program exercise, a replaced draft with its findings. Their
historical rows still carry the foreign keys the record had, so they are found by
following those keys from the client: a historical row belongs to the client when one
of its recorded foreign keys points at a row (live or past) of the client.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.db import models, router
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from clients.models import Client

# Models with audit history that hold no client's data: the exercise library, shared by
# every practice, the practice's memberships (roles, deactivations) and its members'
# personal API tokens (made and revoked; the hash is not in the history). Every other model
# with history must lead to the client through its recorded foreign keys
# (tests/security/test_export_erasure.py checks it), or erasure and export would miss its
# rows once the live record is gone.
SHARED_HISTORY = frozenset({"programs.Exercise", "clients.Membership", "api.ApiToken"})


def related_objects(client: Client) -> dict[type, set]:
    """Every live row that deleting the client removes, by model (found by introspection)."""
    collector = NestedObjects(using=router.db_for_write(Client))
    collector.collect([client])
    rows: dict[type, set] = defaultdict(set)
    for model, instances in collector.data.items():
        rows[model].update(instance.pk for instance in instances)
    return rows


def history_models() -> list[tuple[type, type]]:
    """(model, its historical model) for every model with audit history."""
    found = []
    for model in apps.get_models():
        try:
            found.append((model, get_history_model_for_model(model)))
        except NotHistoricalModelError:
            continue
    return found


def _recorded_keys(model: type, history: type) -> list[tuple[str, type]]:
    """The foreign keys the history copies from the model: (column, model pointed at).

    history_user and the like are the history's own columns (who made the change), not
    what the record belonged to, so only the model's own columns count.
    """
    own = {field.attname for field in model._meta.concrete_fields}
    return [
        (field.attname, field.related_model)
        for field in history._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.attname in own
    ]


def reachable_history_models() -> set[str]:
    """Labels of the models with history whose recorded foreign keys lead to the client."""
    targets = {
        model: {target for _, target in _recorded_keys(model, history)}
        for model, history in history_models()
    }
    reachable = {Client}
    grew = True
    while grew:
        grew = False
        for model, points_at in targets.items():
            if model not in reachable and points_at & reachable:
                reachable.add(model)
                grew = True
    return {model._meta.label for model in reachable if model in targets}


def unreachable_history_models() -> set[str]:
    """Models with history that erasure could not follow to a client once their live rows
    are gone, apart from the shared ones (SHARED_HISTORY): should be empty."""
    every = {model._meta.label for model, _ in history_models()}
    return every - reachable_history_models() - SHARED_HISTORY


def client_rows(client: Client, live: dict[type, set] | None = None) -> dict[type, set]:
    """Primary keys of every row of the client by model: the live rows (`live`, found when
    not given) and the past ones whose record was deleted earlier, from the history."""
    rows: dict[type, set] = defaultdict(set)
    for model, pks in (related_objects(client) if live is None else live).items():
        rows[model].update(pks)
    rows[Client].add(client.pk)
    tracked = [
        (model, history, _recorded_keys(model, history)) for model, history in history_models()
    ]
    # Parents usually come before their children in the app registry, so one pass finds
    # nearly everything and the next confirms; the loop makes any order correct.
    grew = True
    while grew:
        grew = False
        for model, history, keys in tracked:
            belongs = [(column, rows[target]) for column, target in keys if rows.get(target)]
            if not belongs:
                continue
            condition = models.Q()
            for column, pks in belongs:
                condition |= models.Q(**{f"{column}__in": pks})
            pk = model._meta.pk.attname
            found = set(history.objects.filter(condition).order_by().values_list(pk, flat=True))
            if not found <= rows[model]:
                rows[model] |= found
                grew = True
    return rows


def client_history(rows: dict[type, set]) -> dict[type, models.QuerySet]:
    """Each model's historical rows of the client (given `client_rows`), by model, for
    the models that have any."""
    found = {}
    for model, history in history_models():
        if rows.get(model):
            pk = model._meta.pk.attname
            found[model] = history.objects.filter(**{f"{pk}__in": rows[model]})
    return found
