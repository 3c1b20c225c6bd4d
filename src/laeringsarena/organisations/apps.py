from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "laeringsarena.organisations"
    label = "organisations"
    verbose_name = "Organisasjoner"
