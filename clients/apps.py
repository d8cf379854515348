from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"

    def ready(self):
        from . import (
            site,  # noqa: F401  (registers the SITE_URL deploy check)
            two_factor,  # noqa: F401  (connects the TOTP device signals)
        )
        from .logos import limit_image_decoding

        limit_image_decoding()
