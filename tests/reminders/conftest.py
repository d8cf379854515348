"""The worker of the reminder tests: django-ox's own backend, run in-process by run_tasks()
(tests/reminders/reminding.py), instead of the suite's ImmediateBackend."""

import pytest

WORKER = {
    "default": {
        "BACKEND": "django_ox.backend.OxBackend",
        "OPTIONS": {"MAX_ATTEMPTS": 5, "BACKOFF_INITIAL": 0.01, "BACKOFF_MAX": 0.01},
    }
}


@pytest.fixture
def worker(db, settings):
    settings.TASKS = WORKER
