from django.urls import path

from laeringsarena.organisations import views

app_name = "organisations"
urlpatterns = [
    path("min-enhet/", views.my_units, name="my_units"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit"),
    path("personer/<int:pk>/", views.person_detail, name="person"),
    path("kommunen/", views.overview, name="overview"),
    path("kommunen/<slug:slug>/", views.tenant_overview, name="tenant_overview"),
    path("administrasjon/", views.administration, name="admin"),
    path("administrasjon/<slug:slug>/import/", views.import_employees, name="import_employees"),
]
