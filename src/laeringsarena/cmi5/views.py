"""cmi5 pages: the learner's courses, launching AUs, the fetch URL, AU content, and import."""

from __future__ import annotations

import mimetypes
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from laeringsarena.cmi5 import access, selectors, services
from laeringsarena.cmi5.models import LaunchMode
from laeringsarena.cmi5.structure import PackageError
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import Conflict, NotFound, PermissionDenied

LANGUAGE_PREFERENCES = {
    "nb": "nb-NO,nn-NO,en-US",
    "nn": "nn-NO,nb-NO,en-US",
    "da": "da-DK,nb-NO,en-US",
    "en": "en-US,nb-NO",
}
# Types browsers need right for AU content (mimetypes misses some on minimal systems).
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".vtt": "text/vtt",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".wasm": "application/wasm",
}


def _person(request: HttpRequest) -> Any:
    return getattr(request.user, "person", None)


@login_required
@nav_section("my_learning")
def courses(request: HttpRequest) -> HttpResponse:
    """E-læringskurs (cmi5): the courses of the learner's municipality and how far they have come."""
    rows = selectors.my_courses(
        access.learner_courses(request.user).order_by("tenant__name", "id"), _person(request)
    )
    return render(
        request,
        "cmi5/courses.html",
        {"rows": rows, "can_manage": access.can_manage_any(request.user)},
    )


@login_required
@nav_section("my_learning")
def course(request: HttpRequest, course_uuid: UUID) -> HttpResponse:
    found = access.course_for_learner(request.user, course_uuid)
    overview = selectors.overview(found, _person(request))
    return render(request, "cmi5/course.html", {"course": found, "overview": overview})


@login_required
@nav_section("my_learning")
def au(request: HttpRequest, au_uuid: UUID) -> HttpResponse:
    found = access.au_for_learner(request.user, au_uuid)
    overview = selectors.overview(found.course, _person(request))
    row = next(r for r in overview.rows if isinstance(r, selectors.AuRow) and r.au.pk == found.pk)
    return render(request, "cmi5/au.html", {"au": found, "course": found.course, "row": row})


@require_POST
@login_required
def au_launch(request: HttpRequest, au_uuid: UUID) -> HttpResponse:
    """Start an AU: the real cmi5 launch, then the browser goes to the AU (same window)."""
    found = access.au_for_learner(request.user, au_uuid)
    mode = request.POST.get("launch_mode") or LaunchMode.NORMAL
    base_url = request.build_absolute_uri("/")
    return_url = request.build_absolute_uri(reverse("cmi5:course", args=[found.course.uuid]))
    language = (get_language() or "nb").split("-")[0]
    launched = services.launch(
        request.user,  # type: ignore[arg-type]
        found,
        base_url=base_url,
        return_url=return_url,
        launch_mode=mode,
        languages=LANGUAGE_PREFERENCES.get(language, LANGUAGE_PREFERENCES["nb"]),
    )
    return HttpResponseRedirect(launched.url)


@csrf_exempt
@never_cache
def fetch(request: HttpRequest, token: str) -> HttpResponse:
    """The fetch URL (cmi5 §8.2): POST only; the auth token once, afterwards an error object.

    Errors are answered with status 200 and ``error-code``/``error-text`` as the specification
    requires. The unguessable token in the URL is the credential; no login is needed.
    """
    if request.method != "POST":
        response = JsonResponse(
            {"error-code": services.ERROR_APPLICATION, "error-text": _("Bruk POST mot fetch-adressen.")},
            status=405,
        )
        response["Allow"] = "POST"
        return response
    return JsonResponse(services.fetch_auth_token(token))


@login_required
@xframe_options_sameorigin
def content(request: HttpRequest, course_uuid: UUID, path: str) -> HttpResponse:
    """A file of a course package, served from our origin so the AU can talk to /xapi/."""
    found = access.course_for_learner(request.user, course_uuid)
    stored = found.files.get(path)
    if stored is None:
        raise NotFound(_("Fila finnes ikke i kurspakken."))
    try:
        handle = default_storage.open(stored, "rb")
    except FileNotFoundError as err:
        raise Http404 from err
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type += "; charset=utf-8"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response  # type: ignore[return-value]  # a streaming response serves as well


@login_required
@nav_section("cmi5_manage")
def manage(request: HttpRequest) -> HttpResponse:
    """Import course packages (zip with cmi5.xml) and see the imported courses."""
    if not access.can_manage_any(request.user):
        raise PermissionDenied()
    organisations = list(access.managed_organisations(request.user))
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("package")
        organisation = next(
            (o for o in organisations if str(o.pk) == request.POST.get("organisation_id")), None
        )
        if upload is None:
            errors.append(_("Velg en kurspakke (zip-fil med cmi5.xml) å laste opp."))
        elif organisation is None:
            errors.append(_("Velg hvem kurset skal tilhøre."))
        else:
            try:
                imported = services.import_course(
                    request.user,  # type: ignore[arg-type]
                    organisation,
                    upload,
                    filename=upload.name or "",
                    replace=request.POST.get("replace") == "on",
                )
            except PackageError as err:
                errors.append(str(err.detail))
                errors += services.course_error_summary(err)[1:]
            except Conflict as err:
                errors.append(str(err.detail))
            else:
                messages.success(request, _("Kurset «%(title)s» er importert.") % {"title": imported.name})
                return redirect("cmi5:manage_course", course_uuid=imported.uuid)
    return render(
        request,
        "cmi5/manage.html",
        {
            "courses": access.managed_courses(request.user),
            "organisations": organisations,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@nav_section("cmi5_manage")
def manage_course(request: HttpRequest, course_uuid: UUID) -> HttpResponse:
    found = access.course_for_manager(request.user, course_uuid)
    registrations = found.registrations.all()
    return render(
        request,
        "cmi5/manage_course.html",
        {
            "course": found,
            "overview": selectors.overview(found, None),
            "registered": registrations.count(),
            "satisfied": registrations.exclude(satisfied_at=None).count(),
        },
    )


@require_POST
@login_required
def course_delete(request: HttpRequest, course_uuid: UUID) -> HttpResponse:
    found = access.course_for_manager(request.user, course_uuid)
    title = found.name
    services.delete_course(request.user, found)  # type: ignore[arg-type]
    messages.success(request, _("Kurset «%(title)s» er slettet.") % {"title": title})
    return redirect("cmi5:manage")
