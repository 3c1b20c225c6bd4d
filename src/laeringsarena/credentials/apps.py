from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "laeringsarena.credentials"
    label = "credentials"

    def ready(self) -> None:
        from laeringsarena.credentials import receivers

        receivers.connect()
