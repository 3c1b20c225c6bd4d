"""API of the learning app (mounted at /api/v1/; use full paths)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.learning import access, imports, overview, selectors, services
from laeringsarena.learning.models import LearningPath, Module, Step
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person

router = Router(tags=["learning"])


class Ref(Schema):
    id: int
    name: str


class NextStep(Schema):
    id: int
    title: str
    kind: str


class LearningItem(Schema):
    enrolment_id: int
    path: Ref
    mandatory: bool
    source: str
    due_on: dt.date | None
    overdue: bool
    steps_done: int
    steps_total: int
    percent: int
    completed_at: dt.datetime | None
    fulfilled_by_certificate: bool = Field(
        False, description="Closed because a valid certificate met the requirement without the path"
    )
    next_step: NextStep | None


class CertificationOut(Schema):
    name: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    state: str = Field(description="valid, expiring (within 30 days), expired or missing")
    requirement_id: int | None
    renew_path_id: int | None


class MyLearning(Schema):
    person: Ref
    on: dt.date
    required: list[LearningItem] = Field(description="Open mandatory enrolments")
    items: list[LearningItem] = Field(description="Every enrolment, the newest per path")
    certifications: list[CertificationOut]
    next_expiry: CertificationOut | None


def _item(progress: selectors.PathProgress) -> LearningItem:
    enrolment = progress.enrolment
    step = progress.next_step
    return LearningItem(
        enrolment_id=enrolment.pk,
        path=Ref(id=progress.path.pk, name=progress.path.title),
        mandatory=enrolment.mandatory,
        source=enrolment.source,
        due_on=enrolment.due_on,
        overdue=progress.overdue,
        steps_done=progress.done,
        steps_total=progress.total,
        percent=progress.percent,
        completed_at=enrolment.completed_at,
        fulfilled_by_certificate=enrolment.fulfilled_by_id is not None,
        next_step=NextStep(id=step.pk, title=step.title, kind=step.kind)
        if step and not progress.completed
        else None,
    )


def _cert(row: selectors.CertificationRow) -> CertificationOut:
    return CertificationOut(
        name=row.name,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        state=row.state,
        requirement_id=row.requirement_id,
        renew_path_id=row.renew_path.pk if row.renew_path else None,
    )


@router.get("/me/learning", response={200: MyLearning, **PROBLEM_RESPONSES}, operation_id="my_learning")
def my_learning(request: HttpRequest) -> MyLearning:
    """The caller's required items, progress per path and certifications with expiry state."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise NotFound("Brukeren har ingen læringskonto.")
    progress = selectors.progress_for(person, timezone.localdate())
    return MyLearning(
        person=Ref(id=person.pk, name=person.full_name),
        on=progress.today,
        required=[_item(i) for i in progress.required],
        items=[_item(i) for i in progress.items],
        certifications=[_cert(c) for c in progress.certifications],
        next_expiry=_cert(progress.next_expiry) if progress.next_expiry else None,
    )


class PathSummaryOut(Schema):
    path_id: int
    title: str
    enrolled: int
    completed: int
    completion_rate: int
    average_score: float | None


class PersonRow(Schema):
    person: Ref
    unit: Ref
    path: Ref
    mandatory: bool
    due_on: dt.date | None
    overdue: bool
    steps_done: int
    steps_total: int
    completed_at: dt.datetime | None
    fulfilled_by_certificate: bool = False
    score: float | None


class ExpiringOut(Schema):
    person: Ref
    name: str
    expires_on: dt.date | None
    days_left: int | None
    state: str


class UnitLearning(Schema):
    unit: Ref
    on: dt.date
    people: int
    completion_rate: int
    paths: list[PathSummaryOut]
    rows: list[PersonRow]
    overdue: list[PersonRow]
    expiring_30: list[ExpiringOut]
    expiring_60: list[ExpiringOut]
    expiring_90: list[ExpiringOut]
    expired: list[ExpiringOut]


def _row(row: overview.Row) -> PersonRow:
    return PersonRow(
        person=Ref(id=row.person.pk, name=row.person.full_name),
        unit=Ref(id=row.unit.pk, name=row.unit.name),
        path=Ref(id=row.path_id, name=row.path_title),
        mandatory=row.mandatory,
        due_on=row.due_on,
        overdue=row.overdue,
        steps_done=row.done,
        steps_total=row.total,
        completed_at=row.completed_at,
        fulfilled_by_certificate=row.fulfilled_by_certificate,
        score=row.score,
    )


def _expiring(rows: list[overview.ExpiringRow]) -> list[ExpiringOut]:
    return [
        ExpiringOut(
            person=Ref(id=r.person.pk, name=r.person.full_name),
            name=r.name,
            expires_on=r.expires_on,
            days_left=r.days_left,
            state=r.state,
        )
        for r in rows
    ]


@router.get(
    "/units/{unit_id}/learning",
    response={200: UnitLearning, **PROBLEM_RESPONSES},
    operation_id="unit_learning",
)
def unit_learning(request: HttpRequest, unit_id: int) -> UnitLearning:
    """A unit's learning records for its leader (LEARNING_RECORDS_VIEW on the unit)."""
    unit = access.access_records_unit(request.user, unit_id)
    data = overview.unit_overview(unit, timezone.localdate())
    return UnitLearning(
        unit=Ref(id=unit.pk, name=unit.name),
        on=data.today,
        people=data.people,
        completion_rate=data.completion_rate,
        paths=[
            PathSummaryOut(
                path_id=p.path_id,
                title=p.title,
                enrolled=p.enrolled,
                completed=p.completed,
                completion_rate=p.rate,
                average_score=p.average_score,
            )
            for p in data.paths
        ],
        rows=[_row(r) for r in data.rows],
        overdue=[_row(r) for r in data.overdue],
        expiring_30=_expiring(data.expiring_within(30)),
        expiring_60=_expiring(data.expiring_within(60)),
        expiring_90=_expiring(data.expiring_within(90)),
        expired=_expiring(data.expired),
    )


# --- Import of completions from external providers --------------------------------------------


class CompletionImportOut(Schema):
    organisation: str
    rows: int
    created: int
    updated: int
    unchanged: int
    certifications: int
    steps_completed: int
    dry_run: bool


def _import_tenant(request: HttpRequest, org: str) -> Organisation:
    if org:
        return permissions.access_tenant(request.user, org, Permission.LEARNING_MANAGE)
    permissions.require_login(request.user)
    tenants = imports.import_tenants(request.user)
    if not tenants:
        permissions.require(request.user, Permission.LEARNING_MANAGE)
    if len(tenants) != 1:
        raise InvalidInput(
            _("Oppgi kommunen med ?org=KORTNAVN."), errors=[{"field": "org", "reason": _("mangler")}]
        )
    return tenants[0]


@router.post(
    "/learning/completion-imports",
    response={200: CompletionImportOut, **PROBLEM_RESPONSES},
    operation_id="import_completions",
    summary="Import completions and certificates from an external provider (CSV)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
        }
    },
)
def import_completions(request: HttpRequest, org: str = "", dry_run: bool = False) -> CompletionImportOut:
    """Atomic, idempotent import for the municipality ``org`` (may be left out when the caller
    manages learning in one municipality only). A file with any bad row imports nothing; the
    problem JSON lists every bad row (`errors[].line`, `errors[].column`, `errors[].reason`)."""
    tenant = _import_tenant(request, org)
    filename = ""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(_("Send CSV-filen i skjemafeltet «file»."))
        data = upload.read()
        filename = upload.name or ""
    else:
        data = request.body
    if not data.strip():
        raise InvalidInput(_("Forespørselen er tom; send CSV-filen."))
    result = imports.import_completions(request.user, tenant, data, dry_run=dry_run, filename=filename)
    return CompletionImportOut(organisation=tenant.slug, **result.as_dict(), dry_run=dry_run)


# --- Authoring: paths and steps ---------------------------------------------------------------


class StepOut(Schema):
    id: int
    order: int
    kind: str = Field(
        description="offering, module, gathering, webinar, group_work, practical, reflection, cmi5"
    )
    title: str
    description: str
    activity_id: str = Field(
        description="xAPI activity IRI; completed/passed/satisfied on it completes the step"
    )
    offering_id: int | None
    module_id: int | None
    supervisor_id: int | None
    starts_at: dt.datetime | None
    place: str
    url: str
    gated: bool = Field(description="later steps stay closed until this one is approved")
    optional: bool
    prerequisite_ids: list[int]
    certificate_name: str = Field(description="intermediate certificate recorded when the step is completed")


class PathOut(Schema):
    id: int
    organisation: str
    unit_id: int | None
    slug: str
    title: str
    description: str
    status: str = Field(description="draft, published or archived")
    owner_id: int | None
    grants_certification_id: int | None
    default_due_days: int | None
    recertify_days_before: int
    activity_id: str
    can_manage: bool
    steps: int


class PathDetail(PathOut):
    step_list: list[StepOut]


class PathIn(Schema):
    org: str = Field(description="slug of the municipality")
    unit_id: int | None = Field(None, description="the unit whose leaders manage the path (none: HR)")
    title: str = ""
    slug: str = ""
    description: str = ""
    status: str = "draft"
    owner_id: int | None = None
    grants_certification_id: int | None = None
    default_due_days: int | None = None
    recertify_days_before: int = 60


class PathPatch(Schema):
    title: str | None = None
    description: str | None = None
    status: str | None = None
    owner_id: int | None = None
    grants_certification_id: int | None = None
    default_due_days: int | None = None
    recertify_days_before: int | None = None


class StepIn(Schema):
    kind: str = ""
    title: str = ""
    description: str = ""
    activity_id: str = ""
    offering_id: int | None = None
    module_id: int | None = None
    supervisor_id: int | None = None
    starts_at: dt.datetime | None = None
    place: str = ""
    url: str = ""
    gated: bool = False
    optional: bool = False
    prerequisite_ids: list[int] = []
    certificate_name: str = ""


class StepPatch(Schema):
    kind: str | None = None
    title: str | None = None
    description: str | None = None
    activity_id: str | None = None
    offering_id: int | None = None
    module_id: int | None = None
    supervisor_id: int | None = None
    starts_at: dt.datetime | None = None
    place: str | None = None
    url: str | None = None
    gated: bool | None = None
    optional: bool | None = None
    prerequisite_ids: list[int] | None = None
    certificate_name: str | None = None


def _step_out(step: Step) -> StepOut:
    return StepOut(
        id=step.pk,
        order=step.order,
        kind=step.kind,
        title=step.title,
        description=step.description,
        activity_id=step.activity_id,
        offering_id=step.offering_id,
        module_id=step.module_id,
        supervisor_id=step.supervisor_id,
        starts_at=step.starts_at,
        place=step.place,
        url=step.url,
        gated=step.gated,
        optional=step.optional,
        prerequisite_ids=sorted(p.pk for p in step.prerequisites.all()),
        certificate_name=step.certificate_name,
    )


def _path_out(request: HttpRequest, path: LearningPath) -> PathOut:
    return PathOut(
        id=path.pk,
        organisation=path.tenant.slug,
        unit_id=path.unit_id,
        slug=path.slug,
        title=path.title,
        description=path.description,
        status=path.status,
        owner_id=path.owner_id,
        grants_certification_id=path.grants_certification_id,
        default_due_days=path.default_due_days,
        recertify_days_before=path.recertify_days_before,
        activity_id=path.activity_id,
        can_manage=access.can_manage(request.user, path),
        steps=path.steps.count(),
    )


def _person_in(tenant_id: int, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, employments__organisation_id=tenant_id).distinct().first()
    if person is None:
        raise InvalidInput(
            _("Ukjent person."), errors=[{"field": field, "reason": _("ikke ansatt i kommunen")}]
        )
    return person


@router.get(
    "/learning/paths", response={200: list[PathOut], **PROBLEM_RESPONSES}, operation_id="learning_paths"
)
def list_paths(request: HttpRequest, managed: bool = False) -> list[PathOut]:
    """Published paths of the caller's municipalities and every path the caller manages
    (``?managed=true``: only those)."""
    query = access.managed_paths(request.user) if managed else access.visible_paths(request.user)
    return [_path_out(request, p) for p in query.select_related("tenant").order_by("title", "pk")]


@router.post(
    "/learning/paths", response={201: PathOut, **PROBLEM_RESPONSES}, operation_id="create_learning_path"
)
def create_path(request: HttpRequest, payload: PathIn) -> Status:
    """Create a path in a municipality (HR) or for a unit (its leaders). Starts as a draft
    unless ``status`` says otherwise (a path is published only once it has steps)."""
    tenant = permissions.access_tenant(request.user, payload.org, Permission.LEARNING_MANAGE)
    unit = None
    if payload.unit_id is not None:
        unit = Organisation.objects.filter(pk=payload.unit_id, tenant=tenant).first()
        if unit is None:
            raise NotFound()
    if payload.status == "published":
        raise InvalidInput(
            _("En ny læringssti har ingen steg og kan ikke publiseres ennå."),
            errors=[{"field": "status", "reason": _("legg til steg først")}],
        )
    path = services.create_path(
        request.user,
        tenant,
        title=payload.title,
        slug=payload.slug,
        description=payload.description,
        unit=unit,
        owner=_person_in(tenant.pk, payload.owner_id, "owner_id"),
        grants_certification_id=payload.grants_certification_id,
        status=payload.status,
        default_due_days=payload.default_due_days,
        recertify_days_before=payload.recertify_days_before,
    )
    return Status(201, _path_out(request, path))


@router.get(
    "/learning/paths/{path_id}",
    response={200: PathDetail, **PROBLEM_RESPONSES},
    operation_id="learning_path",
)
def get_path(request: HttpRequest, path_id: int) -> PathDetail:
    path = access.access_path(request.user, path_id)
    steps = [_step_out(s) for s in path.steps.prefetch_related("prerequisites")]
    return PathDetail(**_path_out(request, path).dict(), step_list=steps)


@router.patch(
    "/learning/paths/{path_id}",
    response={200: PathOut, **PROBLEM_RESPONSES},
    operation_id="update_learning_path",
)
def update_path(request: HttpRequest, path_id: int, payload: PathPatch) -> PathOut:
    """Change the fields given (others stay). ``status``: draft, published (needs steps), archived."""
    path = access.access_managed_path(request.user, path_id)
    changes = payload.dict(exclude_unset=True)
    if "owner_id" in changes:
        changes["owner"] = _person_in(path.tenant_id, changes.pop("owner_id"), "owner_id")
    services.update_path(request.user, path, **changes)
    return _path_out(request, path)


@router.get(
    "/learning/paths/{path_id}/steps",
    response={200: list[StepOut], **PROBLEM_RESPONSES},
    operation_id="learning_path_steps",
)
def list_steps(request: HttpRequest, path_id: int) -> list[StepOut]:
    path = access.access_path(request.user, path_id)
    return [_step_out(s) for s in path.steps.prefetch_related("prerequisites")]


def _step_changes(path: LearningPath, values: dict[str, Any]) -> dict[str, Any]:
    if "module_id" in values:
        module_id = values.pop("module_id")
        values["module"] = (
            Module.objects.filter(pk=module_id, tenant_id=path.tenant_id).first() if module_id else None
        )
    if "supervisor_id" in values:
        values["supervisor"] = _person_in(path.tenant_id, values.pop("supervisor_id"), "supervisor_id")
    if "prerequisite_ids" in values:
        ids = set(values.pop("prerequisite_ids") or [])
        steps = list(path.steps.filter(pk__in=ids))
        if len(steps) != len(ids):
            raise InvalidInput(
                _("Ukjent forutsetning."),
                errors=[{"field": "prerequisite_ids", "reason": _("må være steg i samme sti")}],
            )
        values["prerequisites"] = steps
    return values


@router.post(
    "/learning/paths/{path_id}/steps",
    response={201: StepOut, **PROBLEM_RESPONSES},
    operation_id="create_learning_step",
)
def create_step(request: HttpRequest, path_id: int, payload: StepIn) -> Status:
    """Append a step of any kind (offering needs ``offering_id``, module ``module_id``, cmi5
    ``activity_id``); prerequisites are steps of the same path."""
    path = access.access_managed_path(request.user, path_id)
    values = _step_changes(path, payload.dict())
    step = services.add_step(request.user, path, **values)
    return Status(201, _step_out(step))


@router.patch(
    "/learning/paths/{path_id}/steps/{step_id}",
    response={200: StepOut, **PROBLEM_RESPONSES},
    operation_id="update_learning_step",
)
def update_step(request: HttpRequest, path_id: int, step_id: int, payload: StepPatch) -> StepOut:
    """Change the fields given; prerequisites must come before the step."""
    path = access.access_managed_path(request.user, path_id)
    step = path.steps.filter(pk=step_id).first()
    if step is None:
        raise NotFound()
    services.update_step(request.user, step, **_step_changes(path, payload.dict(exclude_unset=True)))
    step.refresh_from_db()
    return _step_out(step)
