from django.urls import URLPattern, URLResolver, path

from laeringsarena.credentials import views

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = [
    # Public: verification, the issuer's keys and status lists, public credentials, shares.
    path("credentials/verify", views.verify_page, name="verify"),
    path("credentials/issuers/<slug:slug>/did.json", views.did_document, name="did_document"),
    path("credentials/issuers/<slug:slug>", views.issuer, name="issuer"),
    path("credentials/status/<int:pk>", views.status_list, name="status_list"),
    path("credentials/achievements/<uuid:uid>", views.achievement, name="achievement"),
    path("credentials/<uuid:uid>", views.credential_json, name="credential"),
    path("delt/<str:token>/", views.shared, name="shared"),
    path("delt/<str:token>/presentasjon.json", views.shared_presentation, name="shared_presentation"),
    # The holder's own pages.
    path("kompetansebevis/", views.mine, name="mine"),
    path("kompetansebevis/deling/", views.shares, name="shares"),
    path("kompetansebevis/deling/<int:pk>/stopp", views.stop_share, name="stop_share"),
    path("kompetansebevis/importer/", views.import_page, name="import"),
    path("kompetansebevis/<uuid:uid>/kursbevis.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("kompetansebevis/<uuid:uid>/offentlig", views.toggle_public, name="toggle_public"),
]
