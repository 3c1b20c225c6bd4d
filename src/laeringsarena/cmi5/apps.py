from django.apps import AppConfig


class Cmi5Config(AppConfig):
    name = "laeringsarena.cmi5"
    label = "cmi5"
