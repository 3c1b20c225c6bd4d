from django.urls import URLPattern, URLResolver

app_name = "cmi5"
urlpatterns: list[URLPattern | URLResolver] = []
