"""The test run's settings: the project's, in development mode, as `make run` has them.

config/settings.py defaults to production (DEBUG off, a SECRET_KEY required). The tests ask
for development mode through the environment, so every process they start (gunicorn,
manage.py, the erasure script) inherits the same mode and the same throw-away key.
"""

import os
import secrets

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "tests-only-" + secrets.token_urlsafe(50))

# Posture photos go to a throw-away folder of the run, never the checkout's private/.
import tempfile  # noqa: E402

from config.settings import *  # noqa: E402, F403

# Tasks run at once, on the test's own thread; the tests of the worker itself (retries, once
# only) switch to django-ox's backend and run its worker in-process (tests/reminders/).
TASKS = {"default": {"BACKEND": "django_ox.testing.ImmediateBackend"}}

STORAGES["photos"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="realign-photos-")},
}
