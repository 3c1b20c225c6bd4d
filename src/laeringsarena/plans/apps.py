from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "laeringsarena.plans"
    label = "plans"

    def ready(self) -> None:
        from laeringsarena.plans import receivers  # noqa: F401 - connects the signal receivers
