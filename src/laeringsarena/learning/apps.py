import importlib.util

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "laeringsarena.learning"
    label = "learning"

    def ready(self) -> None:
        # Completions are derived from every statement the LRS stores (HTTP, our player, cmi5).
        if importlib.util.find_spec("laeringsarena.lrs.signals") is None:
            return
        from laeringsarena.learning.completions import on_statements_stored
        from laeringsarena.lrs import signals

        signals.statements_stored.connect(on_statements_stored, dispatch_uid="learning.completions")
