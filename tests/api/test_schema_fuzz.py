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

from tests.factories import ClientFactory

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
    """Ana and one more client of the specialist, for the operations that read one."""
    return [
        client_record,
        ClientFactory(specialist=specialist_user, practice=specialist_user.practice),
    ]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never depends on luck
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_always_answers_as_its_schema_says(case, token, records):
    with connection_kept():
        case.call_and_validate(
            base_url="http://testserver",  # the host the test settings allow
            # The WSGI transport does not undo gzip (GZipMiddleware): ask for plain bodies.
            headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
            checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
        )
