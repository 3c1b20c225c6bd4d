from django.urls import URLPattern, URLResolver, path

from laeringsarena.learning import authoring, views

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("laering/", views.mine, name="mine"),
    path("laering/stier/", views.paths, name="paths"),
    path("laering/stier/<int:pk>/", views.path_detail, name="path"),
    path("laering/stier/<int:pk>/steg/<int:step_pk>/", views.step, name="step"),
    path("laering/modul/<int:attempt_pk>/", views.module, name="module"),
    path("laering/klarsignal/", views.sign_offs, name="sign_offs"),
    path("laering/vurdering/", views.grading, name="grading"),
    path("laering/varsler/<int:pk>/skjul/", views.dismiss_notice, name="dismiss_notice"),
    path("laering/stier/<int:pk>/administrer/", views.manage_path, name="manage_path"),
    path("laering/enheter/", views.units, name="units"),
    path("laering/enheter/<int:pk>/", views.unit_overview, name="unit"),
    path("laering/enheter/<int:pk>/csv/", views.unit_csv, name="unit_csv"),
    path("laering/import/", views.completion_import, name="completion_import"),
    path("laering/forvalt/", authoring.authoring, name="authoring"),
    path("laering/stier/<int:pk>/rediger/", authoring.path_edit, name="path_edit"),
    path("laering/stier/<int:pk>/steg/<int:step_pk>/rediger/", authoring.step_edit, name="step_edit"),
    path("laering/moduler/<int:pk>/", authoring.module_edit, name="module_edit"),
    path("laering/moduler/<int:pk>/sider/<int:page_pk>/", authoring.page_edit, name="page_edit"),
    path("laering/stier/<int:pk>/kull/", authoring.cohorts, name="cohorts"),
    path("laering/kull/<int:pk>/", authoring.cohort, name="cohort"),
]
