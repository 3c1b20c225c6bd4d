from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "laeringsarena.quality"
    label = "quality"
