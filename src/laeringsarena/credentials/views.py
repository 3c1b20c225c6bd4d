"""Web views of the credentials app: thin adapters over services and selectors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.credentials import identity, jose, pdf, selectors, services
from laeringsarena.credentials.models import Achievement, IssuedCredential, IssuerKey, Share, StatusList
from laeringsarena.organisations.models import Organisation, OrganisationKind

MAX_UPLOAD = 1_000_000
ISSUER_KINDS = [OrganisationKind.PLATFORM, OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]


def _json(data: Any, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}, content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issuer(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug, kind__in=ISSUER_KINDS).first()
    if organisation is None:
        raise NotFound()
    return organisation


def did_document(request: HttpRequest, slug: str) -> JsonResponse:
    """The issuer's DID document (did:web), with every key it ever signed with."""
    return _json(identity.did_document(_issuer(slug)), "application/did+json")


def issuer(request: HttpRequest, slug: str) -> HttpResponse:
    """Public page of an issuer: its DID, every key it has signed with, its status lists."""
    organisation = _issuer(slug)
    document = identity.did_document(organisation)
    published = {m["id"]: m for m in document.get("verificationMethod", [])}
    keys = [
        {
            "id": identity.verification_method_id(key, organisation),
            "key": key,
            "multibase": published.get(identity.verification_method_id(key, organisation), {}).get(
                "publicKeyMultibase", ""
            ),
        }
        for key in IssuerKey.objects.filter(organisation=organisation).order_by("-created_at", "-pk")
    ]
    status_lists = StatusList.objects.filter(issuer=organisation, document__isnull=False).order_by("pk")
    return render(
        request,
        "credentials/issuer.html",
        {"organisation": organisation, "document": document, "keys": keys, "status_lists": status_lists},
    )


def status_list(request: HttpRequest, pk: int) -> JsonResponse:
    """A signed BitstringStatusListCredential."""
    status = StatusList.objects.filter(pk=pk, document__isnull=False).first()
    if status is None:
        raise NotFound()
    response = _json(status.document, "application/vc+ld+json")
    response["Cache-Control"] = "max-age=300"
    return response


def achievement(request: HttpRequest, uid: str) -> JsonResponse:
    found = Achievement.objects.filter(uid=uid).select_related("issuer").first()
    if found is None:
        raise NotFound()
    return _json({"@context": services.CREDENTIAL_CONTEXT, **services.achievement_json(found)})


def credential_json(request: HttpRequest, uid: str) -> HttpResponse:
    """A credential's signed JSON, where the holder made it public or shares it (else 404)."""
    credential = IssuedCredential.objects.filter(uid=uid).first()
    own = credential is not None and getattr(request.user, "person_id", None) == credential.person_id
    if credential is None or not (own or selectors.publicly_visible(credential)):
        raise NotFound()
    if request.GET.get("format") == "jwt" or jose.MEDIA_TYPE in request.headers.get("Accept", ""):
        response = HttpResponse(services.jwt_of(credential), content_type=jose.MEDIA_TYPE)
        response["Vary"] = "Accept"
        return response
    response = _json(credential.document, "application/vc+ld+json")
    response["Vary"] = "Accept"
    return response


def _document_from_request(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size and upload.size > MAX_UPLOAD:
            raise InvalidInput(_("Filen er for stor (høyst 1 MB)."))
        text = upload.read().decode("utf-8", errors="replace")
    else:
        text = request.POST.get("credential", "")
    if not text.strip():
        raise InvalidInput(_("Lim inn et kompetansebevis (JSON) eller last opp en fil."))
    from laeringsarena.credentials import ob2

    if ob2.is_jws(text):
        # A JWS compact serialisation: a VC-JOSE credential (vc+jwt) or a signed OB 2.0 assertion.
        return text.strip()
    try:
        return json.loads(text)
    except ValueError as error:
        raise InvalidInput(_("Teksten er ikke gyldig JSON: %(error)s") % {"error": error}) from error


def verify_page(request: HttpRequest) -> HttpResponse:
    """Public page: paste or upload a credential and see whether it is genuine, in plain words."""
    context: dict[str, Any] = {"pasted": ""}
    if request.method == "POST":
        context["pasted"] = request.POST.get("credential", "")
        try:
            document = _document_from_request(request)
        except InvalidInput as error:
            context["error"] = error.detail
        else:
            context["result"] = services.verify(document)
            context["document"] = document
    elif request.GET.get("url"):
        # The QR code of a course certificate points here with the credential's URL.
        uid = request.GET["url"].rstrip("/").rsplit("/", 1)[-1]
        credential = IssuedCredential.objects.filter(uid=uid).first() if _is_uuid(uid) else None
        if credential is not None:
            context["result"] = services.verify(credential.document)
            context["document"] = credential.document
            context["from_link"] = True
        else:
            context["error"] = _("Fant ikke kompetansebeviset lenken peker på.")
    return render(request, "credentials/verify.html", context)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _active_share(token: str) -> Share:
    share = Share.objects.filter(token=token).select_related("person").first()
    if share is None or not share.is_active:
        raise NotFound(_("Delingen finnes ikke, er utløpt eller er stoppet av eieren."))
    return share


def shared(request: HttpRequest, token: str) -> HttpResponse:
    """What the receiver of a share link sees: each credential with its verification result."""
    share = _active_share(token)
    services.record_share_view(share)
    items = [
        {"credential": c, "result": services.verify(c.document)}
        for c in share.credentials.select_related("achievement", "achievement__issuer").order_by("issued_at")
    ]
    return render(request, "credentials/shared.html", {"share": share, "items": items})


def shared_presentation(request: HttpRequest, token: str) -> JsonResponse:
    return _json(services.presentation(_active_share(token)), "application/vp+ld+json")


@login_required
@nav_section("my_learning")
def mine(request: HttpRequest) -> HttpResponse:
    person = services.require_holder(request.user)
    return render(
        request,
        "credentials/mine.html",
        {"credentials": selectors.credentials_for(person), "imports": selectors.imports_for(person)},
    )


def _own_credential(request: HttpRequest, uid: str) -> IssuedCredential:
    person = services.require_holder(request.user)
    credential = (
        IssuedCredential.objects.filter(uid=uid, person=person)
        .select_related("achievement__issuer", "person")
        .first()
    )
    if credential is None:
        raise NotFound()
    return credential


@login_required
def certificate_pdf(request: HttpRequest, uid: str) -> HttpResponse:
    credential = _own_credential(request, uid)
    response = HttpResponse(pdf.course_certificate(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kursbevis-{credential.achievement.slug}.pdf"'
    return response


@login_required
@require_POST
def toggle_public(request: HttpRequest, uid: str) -> HttpResponse:
    credential = _own_credential(request, uid)
    services.set_public(credential.person, credential, request.POST.get("public") == "1")
    messages.success(
        request,
        _("Kompetansebeviset er nå offentlig.")
        if credential.public
        else _("Kompetansebeviset er ikke lenger offentlig."),
    )
    return redirect("credentials:mine")


@login_required
@nav_section("my_learning")
def shares(request: HttpRequest) -> HttpResponse:
    person = services.require_holder(request.user)
    credentials = selectors.credentials_for(person)
    context: dict[str, Any] = {"credentials": credentials, "default_days": 30}
    if request.method == "POST":
        chosen = [c for c in credentials if str(c.uid) in request.POST.getlist("credentials")]
        try:
            days = int(request.POST.get("days", "30"))
        except ValueError:
            days = 0
        try:
            if not 1 <= days <= 366:
                raise InvalidInput(_("Velg mellom 1 og 366 dager."))
            share = services.create_share(
                person,
                chosen,
                recipient=request.POST.get("recipient", ""),
                expires_at=timezone.now() + dt.timedelta(days=days),
            )
        except InvalidInput as error:
            context["error"] = error.detail
        else:
            messages.success(request, _("Delingslenken er laget. Send den til mottakeren."))
            return redirect(f"{request.path}?ny={share.pk}")
    context["shares"] = selectors.shares_for(person)
    context["new"] = request.GET.get("ny", "")
    context["now"] = timezone.now()
    return render(request, "credentials/shares.html", context)


@login_required
@require_POST
def stop_share(request: HttpRequest, pk: int) -> HttpResponse:
    person = services.require_holder(request.user)
    share = Share.objects.filter(pk=pk, person=person).first()
    if share is None:
        raise NotFound()
    services.revoke_share(person, share)
    messages.success(request, _("Delingen er stoppet. Lenken virker ikke lenger."))
    return redirect("credentials:shares")


@login_required
@nav_section("my_learning")
def import_page(request: HttpRequest) -> HttpResponse:
    person = services.require_holder(request.user)
    context: dict[str, Any] = {}
    if request.method == "POST":
        if request.POST.get("delete"):
            found = selectors.imports_for(person)
            for item in found:
                if str(item.pk) == request.POST["delete"]:
                    services.delete_import(person, item)
            return redirect("credentials:import")
        try:
            imported = services.import_credential(person, _document_from_request(request))
        except InvalidInput as error:
            context["error"] = error.detail
        else:
            if imported.verified:
                messages.success(request, _("Beviset er kontrollert og lagret."))
            else:
                messages.warning(
                    request, _("Beviset er lagret, men kunne ikke bekreftes. Se kontrollene under.")
                )
            return redirect("credentials:import")
    context["imports"] = selectors.imports_for(person)
    return render(request, "credentials/import.html", context)
