from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform under the domain apps: sign-in, two-factor, sessions, practice members,
    locking, audit, export and erasure helpers, backups, mail and site addresses."""

    name = "core"

    def ready(self):
        from . import (
            site,  # noqa: F401  (registers the SITE_URL deploy check)
            two_factor,  # noqa: F401  (connects the TOTP device signals)
        )
        from .logos import limit_image_decoding

        limit_image_decoding()
