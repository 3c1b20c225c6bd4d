from django.urls import path

from laeringsarena.competence import views

app_name = "competence"
urlpatterns = [
    path("min-kompetanse/", views.mine, name="mine"),
    path("kompetanse/", views.overview, name="overview"),
    path("kompetanse/kartlegging/ny/", views.campaign_new, name="campaign_new"),
    path("kompetanse/kartlegging/<int:pk>/", views.campaign_detail, name="campaign"),
    path("kompetanse/kartlegging/<int:pk>/svar/", views.self_assess, name="self_assess"),
    path(
        "kompetanse/kartlegging/<int:pk>/vurder/<int:participant_id>/",
        views.leader_assess,
        name="leader_assess",
    ),
    path("kompetanse/enheter/<int:pk>/", views.heatmap, name="heatmap"),
    path("kompetanse/krav/", views.requirements, name="requirements"),
    path("kompetanse/oversikt/<int:pk>/", views.coverage, name="coverage"),
    path("kompetanse/puls/ny/", views.pulse_new, name="pulse_new"),
    path("kompetanse/puls/<int:pk>/", views.pulse_answer, name="pulse_answer"),
    path("kompetanse/puls/<int:pk>/resultater/", views.pulse_results, name="pulse_results"),
    path("kompetanse/enheter/<int:pk>/gap.csv", views.heatmap_csv, name="heatmap_csv"),
    path("kompetanse/enheter/<int:pk>/gap.xlsx", views.heatmap_xlsx, name="heatmap_xlsx"),
    path("kompetanse/oversikt/<int:pk>/oversikt.xlsx", views.coverage_xlsx, name="coverage_xlsx"),
]
