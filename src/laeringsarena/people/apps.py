from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "laeringsarena.people"
    label = "people"
