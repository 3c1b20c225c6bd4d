from django.apps import AppConfig


class LearningAccountConfig(AppConfig):
    name = "laeringsarena.learning_account"
    label = "learning_account"
