"""Login and logout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from laeringsarena.core.errors import NotFound
from laeringsarena.demo.logins import DEMO_LOGINS


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil e-postadresse eller passord. Prøv igjen."),
        "inactive": _("Denne brukeren er deaktivert."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-post")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "inputmode": "email"})
        self.fields["password"].label = _("Passord")

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        context["demo_logins"] = DEMO_LOGINS if settings.DEMO_MODE else []
        return context


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _require_oidc() -> None:
    if not settings.OIDC_ENABLED:
        # Not configured on this instance: the login page shows no OIDC button either.
        raise NotFound(_("Innlogging med OpenID Connect er ikke satt opp her."))


def oidc_login(request: HttpRequest) -> HttpResponse:
    """Start OpenID Connect login: redirect to the provider (Feide, ID-porten, Entra ID …)."""
    _require_oidc()
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code; mozilla-django-oidc verifies it."""
    _require_oidc()
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    response: HttpResponse = OIDCAuthenticationCallbackView.as_view()(request)
    return response
