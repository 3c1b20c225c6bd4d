from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "laeringsarena.credentials"
    label = "credentials"
