"""The production settings of the scale-out rehearsal (bench/scale_out.py): the same as
the app's, but email is written to a folder, where the rehearsal counts what was sent."""

import os

from config.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["SCALE_OUT_MAIL"]},
    }
}
