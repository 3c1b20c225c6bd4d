from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "laeringsarena.learning"
    label = "learning"
