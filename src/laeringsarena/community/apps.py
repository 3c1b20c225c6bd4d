from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "laeringsarena.community"
    label = "community"
