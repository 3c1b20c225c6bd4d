from django.urls import URLPattern, URLResolver, path, re_path

from laeringsarena.lrs import views, xapi

app_name = "lrs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("xapi-klienter/", views.clients, name="clients"),
    path("xapi-klienter/<int:pk>/trekk-tilbake/", views.client_revoke, name="client_revoke"),
    re_path(r"^xapi/about/?$", xapi.xapi_endpoint(xapi.about, public=True), name="xapi_about"),
    re_path(r"^xapi/statements/?$", xapi.xapi_endpoint(xapi.statements), name="xapi_statements"),
    re_path(r"^xapi/activities/state/?$", xapi.xapi_endpoint(xapi.state), name="xapi_state"),
    re_path(
        r"^xapi/activities/profile/?$",
        xapi.xapi_endpoint(xapi.activity_profile),
        name="xapi_activity_profile",
    ),
    re_path(r"^xapi/activities/?$", xapi.xapi_endpoint(xapi.activities), name="xapi_activities"),
    re_path(r"^xapi/agents/profile/?$", xapi.xapi_endpoint(xapi.agent_profile), name="xapi_agent_profile"),
    re_path(r"^xapi/agents/?$", xapi.xapi_endpoint(xapi.agents), name="xapi_agents"),
]
