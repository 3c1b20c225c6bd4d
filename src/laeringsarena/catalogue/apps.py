from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "laeringsarena.catalogue"
    label = "catalogue"
