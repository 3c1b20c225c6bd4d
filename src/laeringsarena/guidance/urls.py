from django.urls import URLPattern, URLResolver, path

from laeringsarena.guidance import views

app_name = "guidance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("anbefalinger/", views.mine, name="mine"),
    path("anbefalinger/innstillinger/", views.settings_view, name="settings"),
    path("anbefalinger/bruk/", views.uptake_view, name="uptake"),
    path("anbefalinger/<int:pk>/hvorfor/", views.why, name="why"),
    path("anbefalinger/<int:pk>/avvis/", views.dismiss, name="dismiss"),
]
