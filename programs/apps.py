from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped_data(sender, using, **kwargs):
    # The library and rule files are data the app cannot work without: load them with
    # every migrate, so a fresh database is ready. Unchanged files write nothing.
    from .services import load_data_files

    load_data_files()


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self):
        post_migrate.connect(_load_shipped_data, sender=self)
