from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "laeringsarena.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from laeringsarena.catalogue import search_index  # noqa: F401 - connects the change log signals
