from django.urls import URLPattern, URLResolver

app_name = "learning_account"
urlpatterns: list[URLPattern | URLResolver] = []
