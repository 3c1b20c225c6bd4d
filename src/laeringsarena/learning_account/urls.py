from django.urls import URLPattern, URLResolver, path

from laeringsarena.learning_account import views

app_name = "learning_account"
urlpatterns: list[URLPattern | URLResolver] = [
    path("laeringskonto/", views.account, name="account"),
    path("laeringskonto/hvem-ser-hva/", views.who_sees_what, name="visibility"),
    path("laeringskonto/eksport.jsonld", views.export_jsonld, name="export"),
    path("laeringskonto/kompetanse-cv.pdf", views.cv_pdf, name="cv"),
    path("laeringskonto/sletting/", views.deletion_view, name="deletion"),
    path("laeringskonto/sletting/<int:pk>/", views.deletion_receipt, name="deletion_receipt"),
    path("laeringskonto/dokumenter/ny/", views.upload_new, name="upload_new"),
    path("laeringskonto/dokumenter/<int:pk>/", views.upload_edit, name="upload_edit"),
    path("laeringskonto/dokumenter/<int:pk>/fil/", views.upload_file, name="upload_file"),
    path("laeringskonto/dokumenter/<int:pk>/slett/", views.upload_delete, name="upload_delete"),
    path("laeringskonto/person/<int:pk>/", views.person_account, name="person"),
    path("laeringskonto/sletteforesporsler/", views.deletion_requests, name="deletion_requests"),
    path("laeringskonto/sletteforesporsler/<int:pk>/", views.deletion_request, name="deletion_request"),
    path("laeringskonto/<slug:kind_slug>/ny/", views.entry_form, name="entry_new"),
    path("laeringskonto/<slug:kind_slug>/<int:pk>/", views.entry_form, name="entry_edit"),
    path("laeringskonto/<slug:kind_slug>/<int:pk>/slett/", views.entry_delete, name="entry_delete"),
]
