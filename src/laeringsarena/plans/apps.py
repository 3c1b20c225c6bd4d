from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "laeringsarena.plans"
    label = "plans"
