from django.urls import path

from laeringsarena.plans import views

app_name = "plans"
urlpatterns = [
    path("min-plan/", views.my_plan, name="my_plan"),
    path("personer/<int:pk>/utviklingsplan/", views.person_plan, name="person_plan"),
    path("kursforesporsler/", views.course_requests, name="course_requests"),
    path("kursforesporsler/<int:pk>/", views.course_request, name="course_request"),
    path("samtaler/<int:pk>/", views.talk, name="talk"),
    path("kompetanseplaner/", views.competence_plans, name="competence_plans"),
    path("kompetanseplaner/<int:pk>/", views.competence_plan, name="competence_plan"),
    path("kompetanseplaner/<int:pk>/arshjul.ics", views.competence_plan_ics, name="competence_plan_ics"),
    path("fagstiger/", views.ladders, name="ladders"),
]
