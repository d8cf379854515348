"""The project's settings plus the benchmark's floor view (a bare view through every middleware).

Used by `make bench` for the in-process runs and for gunicorn
(``DJANGO_SETTINGS_MODULE=bench.settings``); nothing else differs from config.settings.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
