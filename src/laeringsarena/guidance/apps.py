from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "laeringsarena.guidance"
    label = "guidance"
