from django.apps import AppConfig


class CompetenceConfig(AppConfig):
    name = "laeringsarena.competence"
    label = "competence"

    def ready(self) -> None:
        from laeringsarena.competence import receivers  # noqa: F401 - connects the signal receivers
