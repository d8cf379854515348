"""Personas shared by the tests: who they are and what they may see."""

import contextvars
import logging

import pytest
from django.core.cache import cache
from django.utils import timezone

from clients.models import Membership
from tests.factories import (
    PHI_SENTINEL,
    AssessmentFactory,
    ClientFactory,
    ConsentFactory,
    PracticeFactory,
    UserFactory,
    draft_program,
    published_program,
    specialist,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rate limit counted in one test (keyed by a
    row id the next test's rollback hands out again) never throttles another."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def practice(db):
    """The practice most tests happen in."""
    return PracticeFactory(name="Northside Movement")


@pytest.fixture
def owner(practice):
    """The practice owner: sees every client of the practice."""
    return specialist(practice, role=Membership.Role.OWNER)


@pytest.fixture
def specialist_user(practice):
    """The owning specialist of `client`."""
    return specialist(practice)


@pytest.fixture
def colleague(practice):
    """Another specialist in the same practice: sees only their own clients."""
    return specialist(practice)


@pytest.fixture
def outsider(db):
    """The owner of another practice: sees nothing of this one."""
    return specialist(PracticeFactory(name="Elsewhere Studio"), role=Membership.Role.OWNER)


@pytest.fixture
def staff(db):
    """A staff user: the Django admin, but no practice."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def client_record(specialist_user):
    """A client of `specialist_user`."""
    return ClientFactory(specialist=specialist_user, first_name="Ana", last_name="Silva")


@pytest.fixture
def published(client_record, specialist_user):
    """A published plan of `client_record`: consent, a forward-head assessment of today, and
    the engine's program published (PDF rendered) through the real services."""
    return published_program(client_record, specialist_user)


@pytest.fixture
def as_user(client):
    """Sign the test client in as the given user and return it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def consented(client_record):
    """`client_record` with a consent recorded: an assessment may start."""
    ConsentFactory(client=client_record)
    return client_record


@pytest.fixture
def assessment_of_today(consented, specialist_user):
    """An empty assessment of `consented` dated today, signed by the specialist."""
    return AssessmentFactory(
        client=consented, specialist=specialist_user, assessed_on=timezone.localdate()
    )


@pytest.fixture
def draft(client_record, specialist_user):
    """The engine's draft (not published) for a forward-head assessment of `client_record`."""
    return draft_program(client_record, specialist_user)


@pytest.fixture
def client_account(client_record):
    """Ana's own account for the portal."""
    user = UserFactory(username="ana@example.org", email="ana@example.org")
    client_record.user = user
    client_record.save()
    return user


@pytest.fixture
def portal(as_user, client_account):
    """The test client signed in to the portal as Ana."""
    return as_user(client_account)


# --- Audit history: no bulk write may bypass it ---------------------------------------------


def _history_fields(model) -> set[str]:
    """The fields of a model that its audit history records (empty when it has none)."""
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    if historical is None or not hasattr(historical, "history_date"):
        return set()
    recorded = {f.attname for f in historical._meta.fields}
    return {f.attname for f in model._meta.concrete_fields if f.attname in recorded} | {
        f.name for f in model._meta.concrete_fields if f.attname in recorded
    }


_bulk_with_history = contextvars.ContextVar("bulk_with_history", default=False)


@pytest.fixture(autouse=True)
def _no_bulk_write_bypasses_history(monkeypatch):
    """QuerySet.update, bulk_create and bulk_update skip the history signals: on a tracked
    model they may only write fields the history does not record (sort keys, stamps)."""
    from django.db.models.query import QuerySet
    from simple_history import utils

    original_update = QuerySet.update
    original_bulk_create = QuerySet.bulk_create
    original_bulk_update = QuerySet.bulk_update
    original_with_history = utils.bulk_create_with_history

    def update(self, **kwargs):
        written = set(kwargs) & _history_fields(self.model)
        rows = original_update(self, **kwargs)
        # An update that touched no row changed nothing (e.g. Django's SET_NULL cascade
        # over a record deleted a moment before): only real writes must keep the history.
        assert not (written and rows), (
            f"{self.model.__name__}.objects.update({sorted(written)}) bypasses the audit history"
        )
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        assert _bulk_with_history.get() or not _history_fields(self.model), (
            f"{self.model.__name__}.objects.bulk_create bypasses the audit history: "
            "use simple_history.utils.bulk_create_with_history"
        )
        return original_bulk_create(self, objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        written = set(fields) & _history_fields(self.model)
        assert not written, (
            f"{self.model.__name__}.objects.bulk_update({sorted(written)}) "
            "bypasses the audit history"
        )
        return original_bulk_update(self, objs, fields, *args, **kwargs)

    def with_history(*args, **kwargs):
        token = _bulk_with_history.set(True)
        try:
            return original_with_history(*args, **kwargs)
        finally:
            _bulk_with_history.reset(token)

    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(QuerySet, "bulk_create", bulk_create)
    monkeypatch.setattr(QuerySet, "bulk_update", bulk_update)
    monkeypatch.setattr(utils, "bulk_create_with_history", with_history)
    monkeypatch.setattr("programs.services.bulk_create_with_history", with_history)


# --- No client data in logs -------------------------------------------------------------------


class _PhiWatch(logging.Handler):
    """Collects every log record (INFO and up) that mentions a factory client's data."""

    hits: list[str] = []

    def emit(self, record):
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not ours to judge here
            text = str(record.msg)
        if PHI_SENTINEL.lower() in text.lower():
            self.hits.append(f"{record.name}: {text[:300]}")


_watch = _PhiWatch(level=logging.INFO)


@pytest.fixture(autouse=True, scope="session")
def _watch_logs_for_client_data():
    root = logging.getLogger()
    previous = root.level
    root.addHandler(_watch)
    root.setLevel(min(previous, logging.INFO))
    yield
    root.removeHandler(_watch)
    root.setLevel(previous)


def pytest_sessionfinish(session, exitstatus):
    if _watch.hits:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Client data found in log records:", red=True)
            for hit in _watch.hits[:20]:
                reporter.write_line(f"  {hit}", red=True)


@pytest.fixture
def photo_folder():
    """The folder the test run's posture photos are written to (tests/settings.py)."""
    from pathlib import Path

    from django.core.files.storage import storages

    return Path(storages["photos"].location)
