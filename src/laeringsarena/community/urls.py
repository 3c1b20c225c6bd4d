from django.urls import path

from laeringsarena.community import views, views_networks, views_passing_on

app_name = "community"
urlpatterns = [
    path("fellesskap/", views.home, name="home"),
    path("fellesskap/refleksjoner/<int:pk>/", views.reflection_detail, name="reflection"),
    path("fellesskap/grupper/", views.groups, name="groups"),
    path("fellesskap/grupper/<int:pk>/", views.group_detail, name="group"),
    path("fellesskap/grupper/<int:pk>/bli-med/", views.group_join, name="group_join"),
    path("fellesskap/grupper/<int:pk>/forlat/", views.group_leave, name="group_leave"),
    path("fellesskap/grupper/<int:pk>/inviter/", views.group_invite, name="group_invite"),
    path("fellesskap/grupper/<int:pk>/innlegg/", views.group_post, name="group_post"),
    path("fellesskap/grupper/<int:pk>/ressurser/", views.group_resource, name="group_resource"),
    path("fellesskap/grupper/<int:pk>/moter/ny/", views.meeting_new, name="meeting_new"),
    path("fellesskap/grupper/<int:pk>/moter.ics", views.group_calendar, name="group_calendar"),
    path("fellesskap/grupper/<int:pk>/gjennomgang/ny/", views.debrief_new, name="debrief_new"),
    path("fellesskap/innlegg/<int:pk>/meld/", views.post_report, name="post_report"),
    path("fellesskap/innlegg/<int:pk>/moderer/", views.post_moderate, name="post_moderate"),
    path("fellesskap/medlemskap/<int:pk>/", views.membership_decide, name="membership_decide"),
    path("fellesskap/moter/<int:pk>/", views.meeting_detail, name="meeting"),
    path("fellesskap/gjennomganger/<int:pk>/", views.debrief_detail, name="debrief"),
    path("fellesskap/tilbakemelding/", views.feedback, name="feedback"),
    path("fellesskap/tilbakemelding/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("fellesskap/administrasjon/", views.notices, name="notices"),
    path("fellesskap/innsikt/", views.insight_view, name="insight"),
]
urlpatterns += [
    path("fellesskap/minikurs/", views_passing_on.mini_courses, name="mini_courses"),
    path("fellesskap/minikurs/<int:pk>/", views_passing_on.mini_course_detail, name="mini_course"),
    path("fellesskap/jobbytte/", views_passing_on.exchange, name="exchange"),
    path("fellesskap/jobbytte/<int:pk>/", views_passing_on.exchange_posting, name="exchange_posting"),
    path(
        "fellesskap/jobbytte/avtaler/<int:pk>/godkjenn/",
        views_passing_on.exchange_agree,
        name="exchange_agree",
    ),
    path("fellesskap/grupper/<int:pk>/sporsmal/", views_passing_on.group_ask, name="group_ask"),
    path("fellesskap/sporsmal/<int:pk>/", views_passing_on.question_detail, name="question"),
    path("fellesskap/nettverk/nytt/", views_networks.network_new, name="network_new"),
    path("fellesskap/nettverk/<int:pk>/avtale/", views_networks.network_agreement, name="network_agreement"),
    path("fellesskap/del-videre/<int:pk>/", views_passing_on.pass_it_on, name="pass_it_on"),
]
