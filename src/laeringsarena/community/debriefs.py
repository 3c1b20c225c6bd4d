"""Structured debriefs held by a group, their configurable templates and outcomes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.community import access, handover
from laeringsarena.community.models import (
    Debrief,
    DebriefOutcome,
    DebriefTemplate,
    Group,
    LinkKind,
    MembershipStatus,
    OutcomeKind,
)
from laeringsarena.community.prompts import DEFAULT_DEBRIEF_QUESTIONS
from laeringsarena.community.services import Link, _invalid, _touch
from laeringsarena.core.errors import NotFound
from laeringsarena.people.models import Person

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


# --- Debriefs -------------------------------------------------------------------------------


def template_questions(template: DebriefTemplate | None) -> list[dict[str, str]]:
    if template is None:
        return [
            {**q, "label": _(q["label"]), "help": _(q["help"]) if q["help"] else ""}
            for q in DEFAULT_DEBRIEF_QUESTIONS
        ]
    return [dict(q) for q in template.questions]


def templates_for(group: Group) -> list[DebriefTemplate]:
    return list(DebriefTemplate.objects.filter(tenant=group.tenant, is_active=True))


def _validated_questions(questions: list[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    keys: set[str] = set()
    for number, question in enumerate(questions, start=1):
        label = str(question.get("label", "")).strip()
        key = str(question.get("key") or f"q{number}").strip()[:40]
        if not label:
            raise _invalid(f"questions.{number}", _("Hvert spørsmål trenger en tekst."))
        if key in keys:
            raise _invalid(f"questions.{number}", _("To spørsmål har samme nøkkel."))
        keys.add(key)
        cleaned.append(
            {"key": key, "label": label[:300], "help": str(question.get("help", "")).strip()[:500]}
        )
    if not cleaned:
        raise _invalid("questions", _("Malen må ha minst ett spørsmål."))
    return cleaned


@transaction.atomic
def create_template(
    user: AnyUser, tenant_slug: str, name: str, questions: list[dict[str, Any]]
) -> DebriefTemplate:
    """The municipality's admins configure debrief templates."""
    tenant = permissions.access_tenant(user, tenant_slug, Permission.COMMUNITY_MANAGE)
    permissions.require(user, Permission.COMMUNITY_MANAGE, tenant)
    if not name.strip():
        raise _invalid("name", _("Malen må ha et navn."))
    return DebriefTemplate.objects.create(
        tenant=tenant, name=name.strip()[:200], questions=_validated_questions(questions)
    )


def _deviation_link(user: AnyUser, deviation_id: int) -> Link:
    """A link to a deviation the user can read; titled by its number only (the deviation's text
    stays in the quality system)."""
    from laeringsarena.quality import access as quality_access

    if not quality_access.visible_deviations(user).filter(pk=deviation_id).exists():
        raise _invalid("link", _("Fant ikke avviket, eller du har ikke tilgang til det."))
    return Link(kind=LinkKind.DEVIATION, id=deviation_id, title=_("Avvik #%(id)s") % {"id": deviation_id})


@transaction.atomic
def hold_debrief(
    user: AnyUser,
    group_id: int,
    *,
    title: str,
    answers: dict[str, str],
    template_id: int | None = None,
    occurred_on: dt.date | None = None,
    link: Link | None = None,
) -> Debrief:
    """Record a structured debrief held by a group (any member may write it up)."""
    person = access.person_of(user)
    group = access.access_group_content(user, group_id)
    template = None
    if template_id is not None:
        template = DebriefTemplate.objects.filter(pk=template_id, tenant=group.tenant, is_active=True).first()
        if template is None:
            raise _invalid("template_id", _("Ukjent mal."))
    if not title.strip():
        raise _invalid("title", _("Gi gjennomgangen en tittel."))
    questions = template_questions(template)
    cleaned = {q["key"]: str(answers.get(q["key"], "")).strip() for q in questions}
    if not any(cleaned.values()):
        raise _invalid("answers", _("Svar på minst ett av spørsmålene."))
    if link is not None and link.kind == LinkKind.DEVIATION and link.id:
        link = _deviation_link(user, link.id)
    if link is not None:
        link.validate()
    debrief = Debrief.objects.create(
        group=group,
        template=template,
        title=title.strip()[:200],
        occurred_on=occurred_on,
        questions=questions,
        answers=cleaned,
        held_by=person,
        link_kind=link.kind if link else "",
        link_id=link.id if link else None,
        link_title=link.title.strip()[:200] if link else "",
    )
    _touch(group)
    return debrief


@transaction.atomic
def add_outcome(
    user: AnyUser,
    debrief_id: int,
    *,
    kind: str,
    description: str,
    responsible_id: int | None = None,
    due_date: dt.date | None = None,
    procedure_id: int | None = None,
) -> DebriefOutcome:
    """What the debrief leads to: a plan item, a procedure change request or an improvement case.

    The outcome is handed on to the plans or quality app at once if the user may do that, else
    it waits for someone who may (:mod:`laeringsarena.community.handover`)."""
    debrief = access.access_debrief(user, debrief_id)
    if kind not in OutcomeKind.values:
        raise _invalid("kind", _("Ukjent type oppfølging."))
    if not description.strip():
        raise _invalid("description", _("Beskriv oppfølgingen."))
    responsible = None
    if responsible_id is not None:
        responsible = Person.objects.filter(
            pk=responsible_id,
            community_memberships__group=debrief.group,
            community_memberships__status=MembershipStatus.ACTIVE,
        ).first()
        if responsible is None:
            raise _invalid("responsible_id", _("Den ansvarlige må være medlem av gruppen."))
    if kind == OutcomeKind.PROCEDURE_CHANGE and procedure_id is not None:
        from laeringsarena.quality import procedures

        try:
            procedures.access_document(user, procedure_id)
        except NotFound as err:
            raise _invalid("procedure_id", _("Fant ikke prosedyren.")) from err
    outcome = DebriefOutcome.objects.create(
        debrief=debrief,
        kind=kind,
        description=description.strip(),
        responsible=responsible,
        due_date=due_date,
        procedure_id=procedure_id if kind == OutcomeKind.PROCEDURE_CHANGE else None,
    )
    return handover.try_hand_on(user, outcome)


def procedures_for(user: AnyUser, group: Group) -> list[tuple[int, str]]:
    """Published procedures in the group's municipalities that the user can read (for the form)."""
    from laeringsarena.quality import procedures
    from laeringsarena.quality.models import DocumentState

    found: list[tuple[int, str]] = []
    for tenant in procedures.readable_tenants(user):
        if tenant.pk in access.group_tenant_ids(group):
            found += [
                (d.pk, d.title)
                for d in procedures.documents(user, tenant)
                .filter(state__in=[DocumentState.PUBLISHED, DocumentState.FOR_REVISION])
                .order_by("title")
            ]
    return found
