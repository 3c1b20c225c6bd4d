from django.urls import URLPattern, URLResolver, path

from laeringsarena.cmi5 import views

app_name = "cmi5"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cmi5/", views.courses, name="courses"),
    path("cmi5/kurs/<uuid:course_uuid>/", views.course, name="course"),
    path("cmi5/au/<uuid:au_uuid>/", views.au, name="au"),
    path("cmi5/au/<uuid:au_uuid>/start", views.au_launch, name="au_launch"),
    path("cmi5/fetch/<str:token>", views.fetch, name="fetch"),
    path("cmi5/innhold/<uuid:course_uuid>/<path:path>", views.content, name="content"),
    path("cmi5/administrer/", views.manage, name="manage"),
    path("cmi5/administrer/<uuid:course_uuid>/", views.manage_course, name="manage_course"),
    path("cmi5/administrer/<uuid:course_uuid>/slett", views.course_delete, name="course_delete"),
]
