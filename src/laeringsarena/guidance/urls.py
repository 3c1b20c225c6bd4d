from django.urls import URLPattern, URLResolver

app_name = "guidance"
urlpatterns: list[URLPattern | URLResolver] = []
