from django.urls import URLPattern

app_name = "competence"
urlpatterns: list[URLPattern] = []
