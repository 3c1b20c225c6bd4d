from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "laeringsarena.core"
    label = "core"
