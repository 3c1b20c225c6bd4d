from django.apps import AppConfig


class CompetenceConfig(AppConfig):
    name = "laeringsarena.competence"
    label = "competence"
