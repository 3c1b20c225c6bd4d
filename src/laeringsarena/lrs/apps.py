from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Planner statistics for the statement tables once their indexes exist."""
    from laeringsarena.lrs.services import refresh_statistics

    refresh_statistics(using)


class LrsConfig(AppConfig):
    name = "laeringsarena.lrs"
    label = "lrs"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="lrs-refresh-statistics")
