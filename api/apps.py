from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): the pages' services and doors, as JSON."""

    name = "api"

    def ready(self):
        from . import schema  # noqa: F401 - registers the token's security scheme
