from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "laeringsarena.demo"
    label = "demo"
