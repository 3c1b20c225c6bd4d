from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "laeringsarena.community"
    label = "community"

    def ready(self) -> None:
        from laeringsarena.community.receivers import completion_invites_to_pass_it_on
        from laeringsarena.learning.signals import completion_recorded

        completion_recorded.connect(completion_invites_to_pass_it_on, dispatch_uid="community-pass-it-on")
