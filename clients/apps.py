from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"

    def ready(self):
        from . import two_factor  # noqa: F401  (connects the TOTP device signals)
