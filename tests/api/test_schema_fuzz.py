"""schemathesis sends examples generated from the API's own OpenAPI schema to every
operation, signed in with a personal token, and checks that nothing answers 5xx and that
every response matches the schema (issue 20). A bounded number of examples, on the test
database; each example's writes are rolled back with the test."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from programs.models import ProgramExercise
from tests.factories import ClientFactory, draft_program

EXAMPLES = 25  # per operation; `make test` stays quick (a deep run: raise it)


@contextmanager
def connection_kept():
    """Django closes the database connection when a request finishes; the test client
    turns that off while it runs, and so must a WSGI call inside a test, or the test's
    own connection (PostgreSQL's) is closed under it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# The schema as the API serves it (reading it needs no database).
with connection_kept():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def records(db, specialist_user, client_record):
    """Ana's records, from consent to a draft program with its exercises, and one more
    client: the id each resource's path is sent with (any other id is only a 404, which
    the permission matrix checks), so that every example reaches a real record."""
    ClientFactory(specialist=specialist_user, practice=specialist_user.practice)
    draft = draft_program(client_record, specialist_user)
    item = ProgramExercise.objects.filter(phase__version=draft).first()
    return {
        "clients": client_record.pk,
        "assessments": draft.assessment_id,
        "programs": draft.program_id,
        "versions": draft.pk,
        "items": item.pk,
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never depends on luck
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_always_answers_as_its_schema_says(case, token, records):
    if case.path_parameters and "id" in case.path_parameters:
        resource = case.path.removeprefix("/api/v1/").split("/")[0]
        case.path_parameters["id"] = records[resource]
    with connection_kept():
        case.call_and_validate(
            base_url="http://testserver",  # the host the test settings allow
            # The WSGI transport does not undo gzip (GZipMiddleware): ask for plain bodies.
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
        )
