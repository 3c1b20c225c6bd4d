from django.urls import path

from laeringsarena.quality import procedure_views, views

app_name = "quality"
urlpatterns = [
    path("avvik/meld/", views.report, name="report"),
    path("avvik/meld/sjekk/", views.personal_data_check, name="personal_data_check"),
    path("avvik/meldt/", views.reported_anonymously, name="reported_anonymously"),
    path("avvik/mine/", views.my_reports, name="my_reports"),
    path("avvik/", views.handle_list, name="handle_list"),
    path("avvik/<int:pk>/", views.deviation, name="deviation"),
    path("avvik/<int:pk>/handling/", views.deviation_action, name="deviation_action"),
    path(
        "avvik/<int:pk>/vedlegg/<int:attachment_pk>/", views.deviation_attachment, name="deviation_attachment"
    ),
    path("avvik/ledermote/", views.leader_meeting, name="leader_meeting"),
    path("avvik/dagsorden/<int:pk>/konklusjon/", views.agenda_conclusion, name="agenda_conclusion"),
    path("avvik/forbedringssaker/<int:pk>/", views.improvement_case, name="improvement_case"),
    path("kvalitet/", views.reports_home, name="reports"),
    path("kvalitet/<slug:slug>/statistikk/", views.tenant_reports, name="tenant_reports"),
    path("kvalitet/dokumenter/", procedure_views.document_tree, name="documents"),
    path("kvalitet/dokumenter/<int:pk>/", procedure_views.document, name="document"),
    path(
        "kvalitet/dokumenter/<int:pk>/innstillinger/",
        procedure_views.document_settings,
        name="document_settings",
    ),
    path(
        "kvalitet/dokumenter/<int:pk>/vedlegg/<int:attachment_pk>/",
        procedure_views.document_attachment,
        name="document_attachment",
    ),
    path("kvalitet/endringsforslag/", procedure_views.change_requests, name="change_requests"),
    path("kvalitet/les/", procedure_views.must_read, name="must_read"),
    path("kvalitet/lesestatus/<int:pk>/", procedure_views.read_status, name="read_status"),
    path("kvalitet/kategorier/", views.categories, name="categories"),
]
