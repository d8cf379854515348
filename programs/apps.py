from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _load_shipped_data(sender, using, **kwargs):
    # The library and rule files are data the app cannot work without: load them with
    # every migrate, so a fresh database is ready. Unchanged files write nothing. After
    # `migrate programs zero` the tables are gone and there is nothing to load into.
    from .models import Exercise, RulesetVersion
    from .services import load_data_files

    tables = connections[using].introspection.table_names()
    if Exercise._meta.db_table in tables and RulesetVersion._meta.db_table in tables:
        load_data_files()


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self):
        post_migrate.connect(_load_shipped_data, sender=self)
