"""All URLs. The access test (core/tests/test_access.py) walks every pattern here."""

from django.urls import include, path
from django.views.i18n import set_language

from laeringsarena.api import api

urlpatterns = [
    path("", include("laeringsarena.core.urls")),
    path("", include("laeringsarena.accounts.urls")),
    path("", include("laeringsarena.organisations.urls")),
    path("", include("laeringsarena.catalogue.urls")),
    path("", include("laeringsarena.competence.urls")),
    path("", include("laeringsarena.plans.urls")),
    path("", include("laeringsarena.quality.urls")),
    path("", include("laeringsarena.community.urls")),
    path("", include("laeringsarena.lrs.urls")),
    path("", include("laeringsarena.learning.urls")),
    path("", include("laeringsarena.cmi5.urls")),
    path("", include("laeringsarena.credentials.urls")),
    path("", include("laeringsarena.learning_account.urls")),
    path("", include("laeringsarena.guidance.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]
