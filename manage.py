#!/usr/bin/env python
"""Django's command-line utility for Realign.

The command line is the developer's and the scripter's tool (``suggest_program``, the demo,
migrations on a laptop), so it runs in development mode unless ``DEBUG`` says otherwise. The
served app (config/wsgi.py, gunicorn) has no such default: without an environment it is
production and refuses to start without a real ``SECRET_KEY``. Production commands are run
with ``DEBUG=0`` and the deployment's variables (README, Deploying).
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
