from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "laeringsarena.lrs"
    label = "lrs"
