from django.urls import path

from laeringsarena.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("katalog/", views.search, name="search"),
    path("katalog/<int:pk>/", views.offering_detail, name="offering"),
    path("katalog/<int:pk>/ga-til/", views.refer, name="refer"),
    path("katalog/<int:pk>/tatt/", views.mark_taken, name="taken"),
    path("katalog/<int:pk>/vurdering/", views.rate, name="rate"),
    path("katalog/vurderinger/<int:pk>/meld/", views.flag, name="flag"),
    path("katalog/quiz/<int:pk>/", views.quiz, name="quiz"),
    path("katalog/redaktor/", views.editor, name="editor"),
    path("katalog/redaktor/ny/<slug:slug>/", views.new_offering, name="new"),
    path("katalog/redaktor/<int:pk>/", views.edit_offering, name="edit"),
    path("katalog/redaktor/feed/<slug:slug>/", views.feed_upload, name="feed"),
    path("katalog/redaktor/pakker/<slug:slug>/", views.bundle, name="bundle"),
    path("katalog/redaktor/statistikk/<slug:slug>/", views.usage, name="usage"),
    path("katalog/redaktor/tilganger/<int:pk>/trekk-tilbake/", views.bundle_revoke, name="bundle_revoke"),
    path("katalog/moderering/", views.moderation, name="moderation"),
]
