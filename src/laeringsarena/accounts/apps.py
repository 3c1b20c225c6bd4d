from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "laeringsarena.accounts"
    label = "accounts"
