"""The write path of the learning app: paths, steps, modules, enrolment, manual completions.

Every function takes the acting user first, checks access through :mod:`.access` and owns its
transaction. Completions end in :mod:`.completions` (the one place they are recorded);
hosted-module runs are in :mod:`.player`; scheduled work in :mod:`.jobs`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.learning import access, completions
from laeringsarena.learning.models import (
    MANUAL_KINDS,
    Cohort,
    CohortSession,
    Completion,
    CompletionSource,
    Enrolment,
    EnrolmentSource,
    LearningPath,
    Module,
    ModulePage,
    Notice,
    NoticeKind,
    PageKind,
    PathStatus,
    Question,
    QuestionKind,
    SignOff,
    SignOffState,
    Step,
    StepKind,
)
from laeringsarena.learning.selectors import StepStatus, step_states
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None

DEFAULT_DUE_DAYS = 30


def _actor_person_id(user: AnyUser) -> int | None:
    return getattr(user, "person_id", None)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def activity_iri(*parts: object) -> str:
    """A stable xAPI activity IRI on this instance, e.g. ``…/xapi/activities/laering/fjordvik/hlr``."""
    return "/".join([settings.PUBLIC_URL, "xapi", "activities", "laering", *(str(p) for p in parts)])


# --- Paths and steps --------------------------------------------------------------------------


def create_path(
    user: AnyUser,
    tenant: Organisation,
    *,
    title: str,
    slug: str = "",
    description: str = "",
    unit: Organisation | None = None,
    owner: Person | None = None,
    grants_certification_id: int | None = None,
    competence_ids: Iterable[int] = (),
    status: str = PathStatus.DRAFT,
    default_due_days: int | None = None,
    recertify_days_before: int = 60,
) -> LearningPath:
    """Create a learning path in a municipality (or a unit of it)."""
    node = unit or tenant
    permissions.require(user, Permission.LEARNING_MANAGE, node)
    errors = []
    if not title.strip():
        errors.append({"field": "title", "reason": _("mangler")})
    slug = slugify(slug or title)[:80]
    if not slug:
        errors.append({"field": "slug", "reason": _("mangler")})
    elif LearningPath.objects.filter(tenant=tenant, slug=slug).exists():
        errors.append({"field": "slug", "reason": _("finnes allerede i kommunen")})
    if unit is not None and not unit.is_within(tenant):
        errors.append({"field": "unit", "reason": _("må høre til kommunen")})
    if grants_certification_id:
        from laeringsarena.competence.models import CertificationRequirement

        if not CertificationRequirement.objects.filter(pk=grants_certification_id, tenant=tenant).exists():
            errors.append({"field": "grants_certification", "reason": _("ukjent sertifiseringskrav")})
    if status not in PathStatus.values:
        errors.append({"field": "status", "reason": _("ukjent status")})
    if errors:
        raise InvalidInput(_("Læringsstien kan ikke lagres."), errors=errors)
    with transaction.atomic():
        path = LearningPath.objects.create(
            tenant=tenant,
            unit=unit,
            slug=slug,
            title=title.strip()[:200],
            description=description,
            owner=owner,
            grants_certification_id=grants_certification_id or None,
            status=status,
            default_due_days=default_due_days,
            recertify_days_before=recertify_days_before,
            activity_id=activity_iri(tenant.slug, slug),
        )
        path.competences.set(list(competence_ids))
    return path


def set_status(user: AnyUser, path: LearningPath, status: str) -> LearningPath:
    if not access.can_manage(user, path):
        raise PermissionDenied()
    if status not in PathStatus.values:
        raise InvalidInput(_("Ukjent status."), errors=[{"field": "status", "reason": status}])
    if status == PathStatus.PUBLISHED and not path.steps.exists():
        raise Conflict(_("En læringssti må ha minst ett steg før den publiseres."))
    path.status = status
    path.save(update_fields=["status", "updated_at"])
    return path


def add_step(
    user: AnyUser,
    path: LearningPath,
    *,
    kind: str,
    title: str,
    description: str = "",
    activity_id: str = "",
    offering_id: int | None = None,
    module: Module | None = None,
    supervisor: Person | None = None,
    starts_at: dt.datetime | None = None,
    place: str = "",
    url: str = "",
    gated: bool = False,
    optional: bool = False,
    prerequisites: Sequence[Step] = (),
    certificate_name: str = "",
) -> Step:
    """Append a step. ``activity_id`` defaults to an IRI on this instance (cmi5: the course id)."""
    if not access.can_manage(user, path):
        raise PermissionDenied()
    errors = _step_errors(
        path,
        None,
        {
            "kind": kind,
            "title": title,
            "offering_id": offering_id,
            "module": module,
            "activity_id": activity_id,
            "supervisor": supervisor,
            "prerequisites": prerequisites,
        },
    )
    if errors:
        raise InvalidInput(_("Steget kan ikke lagres."), errors=errors)
    with transaction.atomic():
        order = (path.steps.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        step = Step.objects.create(
            path=path,
            order=order,
            kind=kind,
            title=title.strip()[:200],
            description=description,
            activity_id=activity_id
            or activity_iri(path.tenant.slug, path.slug, "steg", uuid.uuid4().hex[:12]),
            offering_id=offering_id,
            module=module,
            supervisor=supervisor,
            starts_at=starts_at,
            place=place,
            url=url,
            gated=gated,
            optional=optional,
            certificate_name=certificate_name,
        )
        if prerequisites:
            step.prerequisites.set(prerequisites)
    return step


PATH_FIELDS = {
    "title",
    "description",
    "unit",
    "owner",
    "grants_certification_id",
    "competence_ids",
    "status",
    "default_due_days",
    "recertify_days_before",
}


def update_path(user: AnyUser, path: LearningPath, **changes: Any) -> LearningPath:
    """Change a path's settings (any of :data:`PATH_FIELDS`; the slug and activity IRI stay)."""
    if not access.can_manage(user, path):
        raise PermissionDenied()
    unknown = set(changes) - PATH_FIELDS
    if unknown:
        raise InvalidInput(
            _("Ukjente felt."),
            errors=[{"field": name, "reason": _("ukjent felt")} for name in sorted(unknown)],
        )
    errors = []
    if "title" in changes and not (changes["title"] or "").strip():
        errors.append({"field": "title", "reason": _("mangler")})
    unit = changes.get("unit", path.unit)
    if "unit" in changes and unit is not None:
        if not unit.is_within(path.tenant):
            errors.append({"field": "unit", "reason": _("må høre til kommunen")})
        elif not permissions.has_permission(user, Permission.LEARNING_MANAGE, unit):
            raise PermissionDenied()
    if (
        "unit" in changes
        and unit is None
        and not permissions.has_permission(user, Permission.LEARNING_MANAGE, path.tenant)
    ):
        raise PermissionDenied()
    if changes.get("grants_certification_id"):
        from laeringsarena.competence.models import CertificationRequirement

        if not CertificationRequirement.objects.filter(
            pk=changes["grants_certification_id"], tenant_id=path.tenant_id
        ).exists():
            errors.append({"field": "grants_certification", "reason": _("ukjent sertifiseringskrav")})
    if "status" in changes and changes["status"] not in PathStatus.values:
        errors.append({"field": "status", "reason": _("ukjent status")})
    for name in ("default_due_days", "recertify_days_before"):
        value = changes.get(name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 3650):
            errors.append({"field": name, "reason": _("antall dager mellom 0 og 3650")})
    if "recertify_days_before" in changes and changes["recertify_days_before"] is None:
        errors.append({"field": "recertify_days_before", "reason": _("mangler")})
    owner = changes.get("owner")
    if (
        owner is not None
        and not Employment.objects.active().filter(person=owner, organisation_id=path.tenant_id).exists()
    ):
        errors.append({"field": "owner", "reason": _("må være ansatt i kommunen")})
    if errors:
        raise InvalidInput(_("Læringsstien kan ikke lagres."), errors=errors)
    with transaction.atomic():
        competence_ids = changes.pop("competence_ids", None)
        status = changes.pop("status", None)
        for name, value in changes.items():
            if name == "title":
                value = value.strip()[:200]
            if name == "grants_certification_id":
                value = value or None
            setattr(path, name, value)
        path.save()
        if competence_ids is not None:
            path.competences.set(list(competence_ids))
        if status is not None and status != path.status:
            set_status(user, path, status)
    return path


STEP_FIELDS = {
    "kind",
    "title",
    "description",
    "activity_id",
    "offering_id",
    "module",
    "supervisor",
    "starts_at",
    "place",
    "url",
    "gated",
    "optional",
    "prerequisites",
    "certificate_name",
}


def _step_errors(path: LearningPath, step: Step | None, values: dict[str, Any]) -> list[dict[str, str]]:
    errors = []
    kind = values.get("kind")
    if kind not in StepKind.values:
        errors.append({"field": "kind", "reason": _("ukjent type")})
    if not (values.get("title") or "").strip():
        errors.append({"field": "title", "reason": _("mangler")})
    if kind == StepKind.OFFERING:
        from laeringsarena.catalogue.models import Offering

        if not values.get("offering_id"):
            errors.append({"field": "offering", "reason": _("velg et kurs i katalogen")})
        elif not Offering.objects.filter(pk=values["offering_id"]).exists():
            errors.append({"field": "offering", "reason": _("ukjent kurs")})
    module = values.get("module")
    if kind == StepKind.MODULE and (module is None or module.tenant_id != path.tenant_id):
        errors.append({"field": "module", "reason": _("velg en modul fra kommunen")})
    if kind == StepKind.CMI5 and not values.get("activity_id"):
        errors.append({"field": "activity_id", "reason": _("cmi5-kursets aktivitets-IRI mangler")})
    supervisor = values.get("supervisor")
    if (
        supervisor is not None
        and not Employment.objects.active().filter(person=supervisor, organisation_id=path.tenant_id).exists()
    ):
        errors.append({"field": "supervisor", "reason": _("må være ansatt i kommunen")})
    prerequisites = values.get("prerequisites") or ()
    if any(p.path_id != path.pk for p in prerequisites):
        errors.append({"field": "prerequisites", "reason": _("må være steg i samme sti")})
    elif step is not None and any(p.pk == step.pk or p.order >= step.order for p in prerequisites):
        errors.append({"field": "prerequisites", "reason": _("bare steg som kommer før dette")})
    return errors


def update_step(user: AnyUser, step: Step, **changes: Any) -> Step:
    """Change a step (any of :data:`STEP_FIELDS`). Prerequisites must be earlier steps."""
    path = step.path
    if not access.can_manage(user, path):
        raise PermissionDenied()
    unknown = set(changes) - STEP_FIELDS
    if unknown:
        raise InvalidInput(
            _("Ukjente felt."),
            errors=[{"field": name, "reason": _("ukjent felt")} for name in sorted(unknown)],
        )
    values = {
        "kind": step.kind,
        "title": step.title,
        "offering_id": step.offering_id,
        "module": step.module,
        "activity_id": step.activity_id,
        "supervisor": step.supervisor,
        **changes,
    }
    errors = _step_errors(path, step, values)
    if "kind" in changes and changes["kind"] != step.kind and step.completions.exists():
        errors.append({"field": "kind", "reason": _("steget er fullført av noen; typen kan ikke endres")})
    if errors:
        raise InvalidInput(_("Steget kan ikke lagres."), errors=errors)
    with transaction.atomic():
        prerequisites = changes.pop("prerequisites", None)
        for name, value in changes.items():
            if name == "title":
                value = value.strip()[:200]
            if name == "activity_id" and not value:
                continue  # keep the IRI (statements already point at it)
            setattr(step, name, value)
        step.save()
        if prerequisites is not None:
            step.prerequisites.set(prerequisites)
    return step


def _renumber(steps: Sequence[Step]) -> None:
    for order, step in enumerate(steps, start=1):
        if step.order != order:
            step.order = order
            step.save(update_fields=["order"])


def move_step(user: AnyUser, step: Step, offset: int) -> Step:
    """Move a step ``offset`` places up (negative) or down; prerequisites stay before it."""
    path = step.path
    if not access.can_manage(user, path):
        raise PermissionDenied()
    with transaction.atomic():
        steps = list(path.steps.select_for_update().order_by("order", "pk"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        target = max(0, min(len(steps) - 1, index + offset))
        moved = steps.pop(index)
        steps.insert(target, moved)
        position = {s.pk: i for i, s in enumerate(steps)}
        for s in steps:
            for prerequisite in s.prerequisites.all():
                if position.get(prerequisite.pk, -1) >= position[s.pk]:
                    raise Conflict(
                        _("«%(step)s» krever «%(pre)s», som må komme før.")
                        % {"step": s.title, "pre": prerequisite.title}
                    )
        _renumber(steps)
    step.refresh_from_db()
    return step


def remove_step(user: AnyUser, step: Step) -> None:
    """Remove a step nobody has started; finished or started steps are kept (make it optional)."""
    path = step.path
    if not access.can_manage(user, path):
        raise PermissionDenied()
    if step.completions.exists() or step.attempts.exists() or step.sign_offs.exists():
        raise Conflict(
            _("Noen har begynt på eller fullført steget. Gjør det valgfritt i stedet for å slette det.")
        )
    with transaction.atomic():
        step.delete()
        _renumber(list(path.steps.order_by("order", "pk")))


# --- Hosted modules ---------------------------------------------------------------------------


@dataclass
class QuestionSpec:
    kind: str
    text: str
    options: list[str]
    correct: list[Any]
    points: int = 1
    guidance: str = ""


@dataclass
class PageSpec:
    title: str
    body: str = ""
    kind: str = PageKind.PAGE
    video_url: str = ""
    video_caption: str = ""
    questions: Sequence[QuestionSpec] = ()


def _check_question(index: int, spec: QuestionSpec) -> list[dict[str, str]]:
    field = f"questions[{index}]"
    problems = []
    if spec.kind not in QuestionKind.values:
        return [{"field": field, "reason": _("ukjent spørsmålstype")}]
    if not spec.text.strip():
        problems.append({"field": field, "reason": _("spørsmålet mangler tekst")})
    if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(spec.options) < 2:
            problems.append({"field": field, "reason": _("minst to svaralternativer")})
        if not spec.correct or any(
            not isinstance(i, int) or not 0 <= i < len(spec.options) for i in spec.correct
        ):
            problems.append({"field": field, "reason": _("riktig svar må være et av alternativene")})
        if spec.kind == QuestionKind.SINGLE and len(spec.correct) != 1:
            problems.append({"field": field, "reason": _("nøyaktig ett riktig svar")})
    if spec.kind == QuestionKind.TRUE_FALSE and spec.correct not in ([True], [False]):
        problems.append({"field": field, "reason": _("riktig svar må være sant eller usant")})
    if spec.kind == QuestionKind.ORDERING and len(spec.options) < 2:
        problems.append({"field": field, "reason": _("minst to elementer å sortere")})
    return problems


def create_module(
    user: AnyUser,
    tenant: Organisation,
    *,
    title: str,
    pages: Sequence[PageSpec],
    pass_mark: float = 0.8,
    unit: Organisation | None = None,
) -> Module:
    """A hosted module with pages, video links and quiz questions (of a unit, or the municipality)."""
    node = unit or tenant
    if unit is not None and not unit.is_within(tenant):
        raise NotFound()
    permissions.require(user, Permission.LEARNING_MANAGE, node)
    errors: list[dict[str, str]] = []
    if not title.strip():
        errors.append({"field": "title", "reason": _("mangler")})
    if not pages:
        errors.append({"field": "pages", "reason": _("minst én side")})
    if not 0 < pass_mark <= 1:
        errors.append({"field": "pass_mark", "reason": _("mellom 0 og 1")})
    index = 0
    for page in pages:
        if page.kind not in PageKind.values:
            errors.append({"field": "pages", "reason": _("ukjent sidetype")})
        for question in page.questions:
            errors += _check_question(index, question)
            index += 1
    if errors:
        raise InvalidInput(_("Modulen kan ikke lagres."), errors=errors)
    with transaction.atomic():
        module = Module.objects.create(
            tenant=tenant, unit=unit, title=title.strip()[:200], pass_mark=pass_mark
        )
        for order, page in enumerate(pages, start=1):
            row = ModulePage.objects.create(
                module=module,
                order=order,
                kind=PageKind.QUIZ if page.questions else page.kind,
                title=page.title,
                body=page.body,
                video_url=page.video_url,
                video_caption=page.video_caption,
            )
            Question.objects.bulk_create(
                Question(
                    page=row,
                    order=n,
                    kind=q.kind,
                    text=q.text,
                    options=q.options,
                    correct=q.correct,
                    points=q.points,
                    guidance=q.guidance,
                )
                for n, q in enumerate(page.questions, start=1)
            )
    return module


def _require_module(user: AnyUser, module: Module) -> None:
    if not access.can_edit_module(user, module):
        raise PermissionDenied()


def update_module(
    user: AnyUser, module: Module, *, title: str | None = None, pass_mark: float | None = None
) -> Module:
    _require_module(user, module)
    errors = []
    if title is not None and not title.strip():
        errors.append({"field": "title", "reason": _("mangler")})
    if pass_mark is not None and not 0 < pass_mark <= 1:
        errors.append({"field": "pass_mark", "reason": _("mellom 0 og 1")})
    if errors:
        raise InvalidInput(_("Modulen kan ikke lagres."), errors=errors)
    if title is not None:
        module.title = title.strip()[:200]
    if pass_mark is not None:
        module.pass_mark = pass_mark
    module.save()
    return module


def _page_errors(spec: PageSpec) -> list[dict[str, str]]:
    errors = []
    if not spec.title.strip():
        errors.append({"field": "title", "reason": _("mangler")})
    if spec.kind not in PageKind.values:
        errors.append({"field": "kind", "reason": _("ukjent sidetype")})
    if spec.kind == PageKind.VIDEO and not spec.video_url:
        errors.append({"field": "video_url", "reason": _("lenken til videoen mangler")})
    if spec.kind == PageKind.VIDEO and not spec.video_caption.strip():
        errors.append({"field": "video_caption", "reason": _("beskriv videoen for dem som ikke ser den")})
    return errors


def add_page(user: AnyUser, module: Module, spec: PageSpec) -> ModulePage:
    """Append a page (text, video link or quiz) to a module."""
    _require_module(user, module)
    errors = _page_errors(spec)
    for index, question in enumerate(spec.questions):
        errors += _check_question(index, question)
    if errors:
        raise InvalidInput(_("Siden kan ikke lagres."), errors=errors)
    with transaction.atomic():
        order = (module.pages.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        page = ModulePage.objects.create(
            module=module,
            order=order,
            kind=PageKind.QUIZ if spec.questions else spec.kind,
            title=spec.title.strip()[:200],
            body=spec.body,
            video_url=spec.video_url,
            video_caption=spec.video_caption,
        )
        for question in spec.questions:
            add_question(user, page, question)
    return page


def update_page(user: AnyUser, page: ModulePage, spec: PageSpec) -> ModulePage:
    """Change a page's text, kind or video link (its questions are edited one by one)."""
    _require_module(user, page.module)
    errors = _page_errors(spec)
    if spec.kind != PageKind.QUIZ and page.questions.exists():
        errors.append({"field": "kind", "reason": _("siden har spørsmål; fjern dem først")})
    if errors:
        raise InvalidInput(_("Siden kan ikke lagres."), errors=errors)
    page.kind = spec.kind
    page.title = spec.title.strip()[:200]
    page.body = spec.body
    page.video_url = spec.video_url
    page.video_caption = spec.video_caption
    page.save()
    return page


def move_page(user: AnyUser, page: ModulePage, offset: int) -> None:
    _require_module(user, page.module)
    with transaction.atomic():
        pages = list(page.module.pages.select_for_update().order_by("order", "pk"))
        index = next(i for i, p in enumerate(pages) if p.pk == page.pk)
        pages.insert(max(0, min(len(pages) - 1, index + offset)), pages.pop(index))
        for order, row in enumerate(pages, start=1):
            if row.order != order:
                row.order = order
                row.save(update_fields=["order"])


def remove_page(user: AnyUser, page: ModulePage) -> None:
    """Remove a page whose questions nobody has answered (a module keeps at least one page)."""
    _require_module(user, page.module)
    if page.module.pages.count() <= 1:
        raise Conflict(_("En modul må ha minst én side."))
    if page.questions.filter(answers__isnull=False).exists():
        raise Conflict(_("Noen har svart på spørsmålene på siden; den kan ikke slettes."))
    page.delete()


def add_question(user: AnyUser, page: ModulePage, spec: QuestionSpec) -> Question:
    """Add a quiz question of any kind; the page becomes a quiz page."""
    _require_module(user, page.module)
    errors = _check_question(0, spec)
    if errors:
        raise InvalidInput(_("Spørsmålet kan ikke lagres."), errors=errors)
    with transaction.atomic():
        order = (page.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        question = Question.objects.create(
            page=page,
            order=order,
            kind=spec.kind,
            text=spec.text.strip(),
            options=list(spec.options),
            correct=list(spec.correct),
            points=spec.points,
            guidance=spec.guidance,
        )
        if page.kind != PageKind.QUIZ:
            page.kind = PageKind.QUIZ
            page.save(update_fields=["kind"])
    return question


def update_question(user: AnyUser, question: Question, spec: QuestionSpec) -> Question:
    """Change a question. Once answered, only the wording, points and guidance may change
    (the answers given must keep meaning what they meant)."""
    _require_module(user, question.page.module)
    errors = _check_question(0, spec)
    answered = question.answers.exists()
    if answered and (
        spec.kind != question.kind
        or list(spec.options) != question.options
        or list(spec.correct) != question.correct
    ):
        errors.append(
            {"field": "options", "reason": _("spørsmålet er besvart; svaralternativene kan ikke endres")}
        )
    if errors:
        raise InvalidInput(_("Spørsmålet kan ikke lagres."), errors=errors)
    question.kind = spec.kind
    question.text = spec.text.strip()
    question.options = list(spec.options)
    question.correct = list(spec.correct)
    question.points = spec.points
    question.guidance = spec.guidance
    question.save()
    return question


def remove_question(user: AnyUser, question: Question) -> None:
    _require_module(user, question.page.module)
    if question.answers.exists():
        raise Conflict(_("Noen har svart på spørsmålet; det kan ikke slettes."))
    question.delete()


# --- Enrolment --------------------------------------------------------------------------------


def _notify_enrolled(enrolment: Enrolment, now: dt.datetime) -> None:
    from laeringsarena.core.tasks import notify

    path = enrolment.path
    body = _("Du er meldt på «%(title)s».") % {"title": path.title}
    if enrolment.due_on:
        body += " " + _("Fristen er %(date)s.") % {"date": enrolment.due_on.strftime("%d.%m.%Y")}
    url = reverse("learning:path", args=[path.pk])
    Notice.objects.get_or_create(
        person_id=enrolment.person_id,
        key=f"enrolled:{enrolment.pk}",
        defaults={
            "kind": NoticeKind.ENROLLED,
            "title": path.title,
            "body": body,
            "url": url,
            "created_at": now,
        },
    )
    if enrolment.mandatory and enrolment.person.email:
        notify(
            [enrolment.person.email],
            _("Ny obligatorisk opplæring: %(title)s") % {"title": path.title},
            f"{body}\n\n{settings.PUBLIC_URL}{url}",
        )


def _enrol(
    path: LearningPath,
    person: Person,
    *,
    source: str,
    now: dt.datetime,
    due_on: dt.date | None = None,
    mandatory: bool = False,
    enrolled_by_id: int | None = None,
    **links: Any,
) -> tuple[Enrolment, bool]:
    """Enrol once: an open enrolment is kept (made mandatory / given the earlier due date)."""
    if due_on is None and path.default_due_days:
        due_on = timezone.localtime(now).date() + dt.timedelta(days=path.default_due_days)
    existing = Enrolment.objects.filter(
        person=person, path=path, completed_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        changed = []
        if mandatory and not existing.mandatory:
            existing.mandatory = True
            changed.append("mandatory")
        if due_on and (existing.due_on is None or due_on < existing.due_on):
            existing.due_on = due_on
            changed.append("due_on")
        if changed:
            existing.save(update_fields=changed)
        return existing, False
    enrolment = Enrolment.objects.create(
        person=person,
        path=path,
        source=source,
        mandatory=mandatory,
        due_on=due_on,
        enrolled_by_id=enrolled_by_id,
        enrolled_at=now,
        **links,
    )
    _notify_enrolled(enrolment, now)
    return enrolment, True


def _require_enrollable(user: AnyUser, path: LearningPath) -> None:
    permissions.require_login(user)
    if path.status != PathStatus.PUBLISHED:
        raise Conflict(_("Læringsstien er ikke publisert."))


def enrol_people(
    user: AnyUser,
    path: LearningPath,
    people: Iterable[Person],
    *,
    due_on: dt.date | None = None,
    mandatory: bool = False,
    now: dt.datetime | None = None,
) -> list[Enrolment]:
    """Enrol named people (the leader must manage learning for a unit each of them works in)."""
    _require_enrollable(user, path)
    people = list(people)
    for person in people:
        if not Employment.objects.active().filter(person=person, organisation_id=path.tenant_id).exists():
            raise NotFound(_("Fant ikke personen i kommunen."))
        if not access.can_enrol(user, person):
            raise PermissionDenied()
    return _enrol_all(
        user, path, people, source=EnrolmentSource.PERSON, due_on=due_on, mandatory=mandatory, now=now
    )


def _enrol_all(
    user: AnyUser,
    path: LearningPath,
    people: Iterable[Person],
    *,
    source: str,
    due_on: dt.date | None,
    mandatory: bool,
    now: dt.datetime | None,
    unit: Organisation | None = None,
    position: Position | None = None,
) -> list[Enrolment]:
    """Enrol each person in one transaction (the caller has checked the permissions)."""
    when, actor = _now(now), _actor_person_id(user)
    with transaction.atomic():
        return [
            _enrol(
                path,
                person,
                source=source,
                now=when,
                due_on=due_on,
                mandatory=mandatory,
                enrolled_by_id=actor,
                unit=unit,
                position=position,
            )[0]
            for person in people
        ]


def _employed(
    tenant_id: int, *, under: Organisation | None = None, position: Position | None = None
) -> list[Person]:
    query = Employment.objects.active().filter(organisation_id=tenant_id)
    if under is not None:
        query = query.filter(unit__path__startswith=under.path)
    if position is not None:
        query = query.filter(position=position)
    ids = query.values_list("person_id", flat=True).distinct()
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


def enrol_unit(
    user: AnyUser,
    path: LearningPath,
    unit: Organisation,
    *,
    due_on: dt.date | None = None,
    mandatory: bool = False,
    now: dt.datetime | None = None,
) -> list[Enrolment]:
    """Enrol everybody actively employed in a unit (and the units below it)."""
    _require_enrollable(user, path)
    if unit.tenant_id != path.tenant_id:
        raise NotFound()
    permissions.require(user, Permission.LEARNING_MANAGE, unit)
    return _enrol_all(
        user,
        path,
        _employed(path.tenant_id, under=unit),
        source=EnrolmentSource.UNIT,
        due_on=due_on,
        mandatory=mandatory,
        now=now,
        unit=unit,
    )


def enrol_position(
    user: AnyUser,
    path: LearningPath,
    position: Position,
    *,
    within: Organisation | None = None,
    due_on: dt.date | None = None,
    mandatory: bool = False,
    now: dt.datetime | None = None,
) -> list[Enrolment]:
    """Enrol everybody in a position (e.g. all sykepleiere) in the municipality or a part of it."""
    _require_enrollable(user, path)
    node = within or path.tenant
    if node.tenant_id != path.tenant_id:
        raise NotFound()
    permissions.require(user, Permission.LEARNING_MANAGE, node)
    return _enrol_all(
        user,
        path,
        _employed(path.tenant_id, under=node, position=position),
        source=EnrolmentSource.POSITION,
        due_on=due_on,
        mandatory=mandatory,
        now=now,
        unit=within,
        position=position,
    )


def create_cohort(
    user: AnyUser,
    path: LearningPath,
    *,
    name: str,
    starts_on: dt.date,
    due_on: dt.date | None = None,
    unit: Organisation | None = None,
    sessions: Sequence[tuple[Step, dt.datetime, dt.datetime | None, str]] = (),
) -> Cohort:
    """A cohort (kull) with its own times for gatherings/webinars, e.g. for a night-shift group."""
    if not access.can_manage(user, path) and not (
        unit is not None and permissions.has_permission(user, Permission.LEARNING_MANAGE, unit)
    ):
        raise PermissionDenied()
    if not name.strip():
        raise InvalidInput(_("Kullet må ha et navn."), errors=[{"field": "name", "reason": _("mangler")}])
    if due_on and due_on < starts_on:
        raise InvalidInput(_("Fristen kan ikke være før start."), errors=[{"field": "due_on", "reason": "<"}])
    with transaction.atomic():
        cohort = Cohort.objects.create(
            path=path, name=name.strip(), starts_on=starts_on, due_on=due_on, unit=unit
        )
        for step, starts_at, ends_at, place in sessions:
            if step.path_id != path.pk:
                raise InvalidInput(_("Økten må høre til et steg i stien."))
            CohortSession.objects.create(
                cohort=cohort, step=step, starts_at=starts_at, ends_at=ends_at, place=place
            )
    return cohort


def update_cohort(
    user: AnyUser,
    cohort: Cohort,
    *,
    name: str | None = None,
    starts_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> Cohort:
    """Rename a cohort or move its dates (a new due date applies to its open enrolments)."""
    if not access.can_manage_cohort(user, cohort):
        raise PermissionDenied()
    name = cohort.name if name is None else name
    starts_on = starts_on or cohort.starts_on
    if not name.strip():
        raise InvalidInput(_("Kullet må ha et navn."), errors=[{"field": "name", "reason": _("mangler")}])
    if due_on and due_on < starts_on:
        raise InvalidInput(_("Fristen kan ikke være før start."), errors=[{"field": "due_on", "reason": "<"}])
    with transaction.atomic():
        cohort.name, cohort.starts_on, cohort.due_on = name.strip(), starts_on, due_on
        cohort.save()
        cohort.enrolments.filter(completed_at__isnull=True, withdrawn_at__isnull=True).update(due_on=due_on)
    return cohort


def add_cohort_session(
    user: AnyUser,
    cohort: Cohort,
    step: Step,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    place: str = "",
) -> CohortSession:
    """A time for a gathering/webinar step for this cohort only (e.g. 14:30, between shifts)."""
    if not access.can_manage_cohort(user, cohort):
        raise PermissionDenied()
    errors = []
    if step.path_id != cohort.path_id:
        errors.append({"field": "step", "reason": _("må være et steg i stien")})
    elif step.kind not in MANUAL_KINDS:
        errors.append(
            {"field": "step", "reason": _("bare samlinger, webinarer og gruppearbeid har tidspunkt")}
        )
    if ends_at and ends_at <= starts_at:
        errors.append({"field": "ends_at", "reason": _("må være etter start")})
    if errors:
        raise InvalidInput(_("Økten kan ikke lagres."), errors=errors)
    return CohortSession.objects.create(
        cohort=cohort, step=step, starts_at=starts_at, ends_at=ends_at, place=place.strip()[:200]
    )


def remove_cohort_session(user: AnyUser, session: CohortSession) -> None:
    if not access.can_manage_cohort(user, session.cohort):
        raise PermissionDenied()
    session.delete()


def enrol_cohort(
    user: AnyUser,
    cohort: Cohort,
    people: Iterable[Person],
    *,
    mandatory: bool = True,
    now: dt.datetime | None = None,
) -> list[Enrolment]:
    """Put people in a cohort (their enrolment follows the cohort's due date and schedule)."""
    path = cohort.path
    _require_enrollable(user, path)
    people = list(people)
    for person in people:
        if not access.can_enrol(user, person):
            raise PermissionDenied()
    result = []
    with transaction.atomic():
        for person in people:
            enrolment, _created = _enrol(
                path,
                person,
                source=EnrolmentSource.COHORT,
                now=_now(now),
                due_on=cohort.due_on,
                mandatory=mandatory,
                enrolled_by_id=_actor_person_id(user),
                cohort=cohort,
            )
            if enrolment.cohort_id != cohort.pk:
                enrolment.cohort = cohort
                enrolment.save(update_fields=["cohort"])
            result.append(enrolment)
    return result


def self_enrol(user: AnyUser, path: LearningPath, *, now: dt.datetime | None = None) -> Enrolment:
    _require_enrollable(user, path)
    pid = _actor_person_id(user)
    if (
        not pid
        or not Employment.objects.active().filter(person_id=pid, organisation_id=path.tenant_id).exists()
    ):
        raise PermissionDenied(_("Du må være ansatt i kommunen for å melde deg på."))
    with transaction.atomic():
        return _enrol(path, Person.objects.get(pk=pid), source=EnrolmentSource.SELF, now=_now(now))[0]


def withdraw(user: AnyUser, enrolment: Enrolment, *, now: dt.datetime | None = None) -> Enrolment:
    """Withdraw an enrolment: the learner their own voluntary ones, a manager any open one."""
    own = enrolment.person_id == _actor_person_id(user)
    if not (own and not enrolment.mandatory) and not access.can_enrol(user, enrolment.person):
        raise PermissionDenied()
    if not enrolment.is_open:
        raise Conflict(_("Påmeldingen er allerede avsluttet."))
    enrolment.withdrawn_at = _now(now)
    enrolment.save(update_fields=["withdrawn_at"])
    return enrolment


def _requirement_applies_q(requirement: Any) -> Q:
    query = Q(organisation_id=requirement.tenant_id)
    if requirement.organisation_id:
        query &= Q(unit__path__startswith=requirement.organisation.path)
    if requirement.position_id:
        query &= Q(position_id=requirement.position_id)
    return query


def enrol_from_requirements(tenant: Organisation, *, now: dt.datetime | None = None) -> list[Enrolment]:
    """Mandatory enrolment derived from certification requirements (kompetansekrav → sti).

    Everybody a requirement applies to who holds no valid certificate for it, and is not
    already on the path that grants it, is enrolled with a due date (the path's default, or 30
    days). Run daily by :mod:`.jobs`; safe to run again.
    """
    from laeringsarena.competence.models import Certification

    now = _now(now)
    today = timezone.localtime(now).date()
    created = []
    paths = LearningPath.objects.filter(
        tenant=tenant, status=PathStatus.PUBLISHED, grants_certification__isnull=False
    ).select_related("grants_certification__organisation")
    with transaction.atomic():
        for path in paths:
            requirement = path.grants_certification
            assert requirement is not None
            people = set(
                Employment.objects.active(today)
                .filter(_requirement_applies_q(requirement))
                .values_list("person_id", flat=True)
            )
            valid = set(
                Certification.objects.filter(requirement=requirement, person_id__in=people)
                .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
                .values_list("person_id", flat=True)
            )
            ever_enrolled = set(
                Enrolment.objects.filter(path=path, person_id__in=people)
                .filter(
                    Q(completed_at__isnull=True, withdrawn_at__isnull=True)
                    | Q(source=EnrolmentSource.REQUIREMENT)
                )
                .values_list("person_id", flat=True)
            )
            due = today + dt.timedelta(days=path.default_due_days or DEFAULT_DUE_DAYS)
            for person in Person.objects.filter(pk__in=people - valid - ever_enrolled).order_by("pk"):
                enrolment, was_created = _enrol(
                    path,
                    person,
                    source=EnrolmentSource.REQUIREMENT,
                    now=now,
                    due_on=due,
                    mandatory=True,
                    requirement=requirement,
                )
                if was_created:
                    created.append(enrolment)
    return created


def enrol_recertification(*, now: dt.datetime | None = None) -> list[Enrolment]:
    """Enrol holders again before their certificate expires (automatic recertification).

    For each published path granting a certification, everybody whose newest certificate for it
    expires within the path's ``recertify_days_before`` (or has expired) and who is still
    employed where the requirement applies gets a mandatory enrolment due on the expiry day.
    """
    from laeringsarena.competence.models import Certification

    now = _now(now)
    today = timezone.localtime(now).date()
    created = []
    paths = LearningPath.objects.filter(
        status=PathStatus.PUBLISHED, grants_certification__isnull=False
    ).select_related("grants_certification__organisation")
    with transaction.atomic():
        for path in paths:
            requirement = path.grants_certification
            assert requirement is not None
            horizon = today + dt.timedelta(days=path.recertify_days_before)
            newest: dict[int, Certification] = {}
            for cert in Certification.objects.filter(requirement=requirement).order_by("issued_on", "pk"):
                newest[cert.person_id] = cert
            due = {pid: c for pid, c in newest.items() if c.expires_on and c.expires_on <= horizon}
            if not due:
                continue
            employed = set(
                Employment.objects.active(today)
                .filter(_requirement_applies_q(requirement), person_id__in=due)
                .values_list("person_id", flat=True)
            )
            already = set(
                Enrolment.objects.filter(
                    path=path, person_id__in=employed, completed_at__isnull=True, withdrawn_at__isnull=True
                ).values_list("person_id", flat=True)
            )
            for person_id, enrolled_at in Enrolment.objects.filter(
                path=path, person_id__in=employed, source=EnrolmentSource.RECERTIFICATION
            ).values_list("person_id", "enrolled_at"):
                # One recertification per certificate, even if it was withdrawn or finished.
                if timezone.localtime(enrolled_at).date() >= due[person_id].issued_on:
                    already.add(person_id)
            for person in Person.objects.filter(pk__in=employed - already).order_by("pk"):
                cert = due[person.pk]
                enrolment, was_created = _enrol(
                    path,
                    person,
                    source=EnrolmentSource.RECERTIFICATION,
                    now=now,
                    due_on=max(cert.expires_on or today, today),
                    mandatory=True,
                    requirement=requirement,
                )
                if was_created:
                    created.append(enrolment)
    return created


# --- Manual completions -----------------------------------------------------------------------


def _state(enrolment: Enrolment, step: Step) -> str:
    for state in step_states(enrolment):
        if state.step.pk == step.pk:
            return state.status
    raise NotFound()


def _require_open(enrolment: Enrolment, step: Step) -> None:
    if step.path_id != enrolment.path_id:
        raise NotFound()
    if not enrolment.is_open:
        raise Conflict(_("Påmeldingen er avsluttet."))
    status = _state(enrolment, step)
    if status == StepStatus.LOCKED:
        raise Conflict(_("Steget er ikke åpnet ennå: et tidligere steg må godkjennes først."))
    if status == StepStatus.DONE:
        raise Conflict(_("Steget er allerede fullført."))


def register_attendance(
    user: AnyUser, step: Step, people: Iterable[Person], *, at: dt.datetime | None = None, note: str = ""
) -> list[Completion]:
    """Register who took part in a gathering, webinar or group work (oppmøte)."""
    if step.kind not in MANUAL_KINDS:
        raise Conflict(_("Oppmøte registreres bare for samlinger, webinarer og gruppearbeid."))
    result = []
    with transaction.atomic():
        for person in people:
            enrolment = Enrolment.objects.filter(
                person=person, path_id=step.path_id, completed_at__isnull=True, withdrawn_at__isnull=True
            ).first()
            if enrolment is None:
                raise NotFound(_("%(name)s er ikke påmeldt stien.") % {"name": person.full_name})
            if not access.can_teach(user, enrolment):
                raise PermissionDenied()
            completion, _created = completions.complete_step(
                enrolment,
                step,
                completed_at=at or timezone.now(),
                source=CompletionSource.ATTENDANCE,
                recorded_by_id=_actor_person_id(user),
                note=note,
            )
            result.append(completion)
    return result


def mark_offering_done(
    user: AnyUser, enrolment: Enrolment, step: Step, *, now: dt.datetime | None = None
) -> Completion:
    """The learner reports that they took the catalogue course of an offering step."""
    if enrolment.person_id != _actor_person_id(user):
        raise NotFound()
    if step.kind != StepKind.OFFERING:
        raise Conflict(_("Bare kurs fra katalogen kan meldes fullført av deg selv."))
    with transaction.atomic():
        _require_open(enrolment, step)
        return completions.complete_step(
            enrolment,
            step,
            completed_at=_now(now),
            source=CompletionSource.MANUAL,
            recorded_by_id=enrolment.person_id,
        )[0]


def submit_reflection(
    user: AnyUser, enrolment: Enrolment, step: Step, text: str, *, now: dt.datetime | None = None
) -> Completion:
    if enrolment.person_id != _actor_person_id(user):
        raise NotFound()
    if step.kind != StepKind.REFLECTION:
        raise Conflict(_("Steget er ikke en refleksjon."))
    if len(text.strip()) < 20:
        raise InvalidInput(
            _("Skriv litt mer – minst 20 tegn."), errors=[{"field": "text", "reason": _("for kort")}]
        )
    with transaction.atomic():
        _require_open(enrolment, step)
        return completions.complete_step(
            enrolment,
            step,
            completed_at=_now(now),
            source=CompletionSource.REFLECTION,
            note=text.strip()[:10000],
        )[0]


def request_sign_off(
    user: AnyUser,
    enrolment: Enrolment,
    step: Step,
    *,
    supervisor: Person | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> SignOff:
    """Ask the named supervisor for the klarsignal on a practical task."""
    from laeringsarena.core.tasks import notify

    if enrolment.person_id != _actor_person_id(user):
        raise NotFound()
    if step.kind != StepKind.PRACTICAL:
        raise Conflict(_("Klarsignal gis bare for praktiske oppgaver."))
    supervisor = step.supervisor or supervisor
    if supervisor is None:
        raise InvalidInput(
            _("Velg hvem som skal gi klarsignal."), errors=[{"field": "supervisor", "reason": _("mangler")}]
        )
    if supervisor.pk == enrolment.person_id:
        raise InvalidInput(
            _("Du kan ikke gi deg selv klarsignal."), errors=[{"field": "supervisor", "reason": "self"}]
        )
    if (
        not Employment.objects.active()
        .filter(person=supervisor, organisation_id=enrolment.path.tenant_id)
        .exists()
    ):
        raise InvalidInput(
            _("Veilederen må være ansatt i kommunen."), errors=[{"field": "supervisor", "reason": "tenant"}]
        )
    now = _now(now)
    with transaction.atomic():
        _require_open(enrolment, step)
        if SignOff.objects.filter(enrolment=enrolment, step=step, state=SignOffState.REQUESTED).exists():
            raise Conflict(_("Du har allerede bedt om klarsignal."))
        sign_off = SignOff.objects.create(
            enrolment=enrolment, step=step, supervisor=supervisor, learner_note=note[:5000], requested_at=now
        )
        url = reverse("learning:sign_offs")
        title = _("%(name)s ber om klarsignal: %(step)s") % {
            "name": enrolment.person.full_name,
            "step": step.title,
        }
        Notice.objects.create(
            person=supervisor,
            key=f"sign_off:{sign_off.pk}",
            kind=NoticeKind.SIGN_OFF,
            title=title,
            url=url,
            created_at=now,
        )
        if supervisor.email:
            notify([supervisor.email], title, f"{note}\n\n{settings.PUBLIC_URL}{url}".strip())
    return sign_off


def decide_sign_off(
    user: AnyUser, sign_off: SignOff, *, approve: bool, note: str = "", now: dt.datetime | None = None
) -> SignOff:
    """The named supervisor gives the klarsignal (or says «not yet» with a comment)."""
    if sign_off.supervisor_id != _actor_person_id(user):
        raise NotFound()
    if sign_off.state != SignOffState.REQUESTED:
        raise Conflict(_("Forespørselen er allerede besvart."))
    if not approve and not note.strip():
        raise InvalidInput(_("Skriv hva som gjenstår."), errors=[{"field": "note", "reason": _("mangler")}])
    now = _now(now)
    with transaction.atomic():
        sign_off.state = SignOffState.APPROVED if approve else SignOffState.NOT_YET
        sign_off.supervisor_note = note[:5000]
        sign_off.decided_at = now
        sign_off.save(update_fields=["state", "supervisor_note", "decided_at"])
        if approve and sign_off.enrolment.is_open:
            completions.complete_step(
                sign_off.enrolment,
                sign_off.step,
                completed_at=now,
                source=CompletionSource.SIGN_OFF,
                recorded_by_id=sign_off.supervisor_id,
                note=note,
            )
        Notice.objects.get_or_create(
            person_id=sign_off.enrolment.person_id,
            key=f"sign_off_decided:{sign_off.pk}",
            defaults={
                "kind": NoticeKind.SIGN_OFF,
                "title": (_("Klarsignal gitt: %(step)s") if approve else _("Ikke klar ennå: %(step)s"))
                % {"step": sign_off.step.title},
                "body": note,
                "url": reverse("learning:step", args=[sign_off.step.path_id, sign_off.step_id]),
                "created_at": now,
            },
        )
    return sign_off


def dismiss_notice(user: AnyUser, notice: Notice) -> None:
    if notice.person_id != _actor_person_id(user):
        raise NotFound()
    notice.dismissed_at = timezone.now()
    notice.save(update_fields=["dismissed_at"])


def tenant_of(node: Organisation) -> Organisation:
    if node.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY):
        return node
    return Organisation.objects.get(pk=node.tenant_id or node.pk)
