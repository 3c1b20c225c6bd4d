"""Deletion of the learning account (part of the services: the only write path for deletion).

A person may ask for deletion of everything that is not under a retention duty:

- **deleted at once**: what the person owns — uploaded documents, records they entered
  themselves (education, self-reported certifications, prior learning) and their
  self-assessments; a receipt lists each item;
- **kept, with the reason**: what an employer or issuer must keep by law or to answer for it
  (certifications the employer requires, issued credentials);
- **sent to HR**: what an employer holds and a human must judge (completions in an
  employment, education the employer registered, leader assessments): one
  :class:`DeletionRequest` per employer, with an e-mail to its HR.

Nothing is dropped silently: every item is in one of the three lists, and the whole receipt is
kept in the account's audit trail (:class:`AccountEvent` of kind ``deletion``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.competence.models import Assessment, CompetenceLevel, Source
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.core.tasks import notify
from laeringsarena.learning_account import access, selectors
from laeringsarena.learning_account.models import (
    AccountEvent,
    DeletionRequest,
    EventKind,
    RequestStatus,
    Upload,
)
from laeringsarena.learning_account.services import _delete_files_after_commit
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Person


def reasons() -> dict[str, str]:
    """Plain-language reasons, keyed by the rule that applies."""
    return {
        "required_certification": _(
            "Arbeidsgiveren krevde denne sertifiseringen for stillingen og må kunne dokumentere at "
            "kravet var oppfylt mens du jobbet der (internkontroll i helse- og omsorgstjenesten, "
            "f.eks. legemiddelhåndteringsforskriften). Den blir liggende i arbeidsgiverens "
            "dokumentasjon så lenge plikten varer."
        ),
        "credential": _(
            "Kompetansebeviset er signert av utstederen og kan ikke endres. Utstederen holder "
            "oversikt over om det er gyldig eller trukket tilbake, slik at andre kan kontrollere "
            "det. Du har en kopi i eksporten."
        ),
        "completion": _(
            "Fullført opplæring i et ansettelsesforhold kan være HMS-opplæring arbeidsgiveren må "
            "dokumentere (arbeidsmiljøloven § 3-2 og internkontrollforskriften § 5). HR vurderer "
            "hva som må beholdes og sletter resten."
        ),
        "completion_platform": _(
            "Fullført opplæring utenfor et ansettelsesforhold. Plattformens drift sletter den."
        ),
        "employer_education": _(
            "Utdanningen er registrert av arbeidsgiveren og kan være en del av dokumentasjonen av "
            "kvalifikasjoner for stillingen (f.eks. kontroll av autorisasjon for helsepersonell). "
            "HR vurderer."
        ),
        "employer_certification": _(
            "Sertifiseringen er registrert av arbeidsgiveren. HR vurderer om den må beholdes."
        ),
        "employer_prior_learning": _(
            "Realkompetansen er vurdert og registrert av arbeidsgiveren. HR vurderer om den må beholdes."
        ),
        "leader_assessment": _(
            "Lederens vurderinger i en kompetansekartlegging er arbeidsgiverens opplysninger. HR vurderer."
        ),
    }


@dataclass
class PlanItem:
    kind: str
    id: Any
    title: str
    reason: str = ""
    tenant_id: int | None = None
    tenant_name: str = ""


@dataclass
class DeletionPlan:
    delete_now: list[PlanItem] = field(default_factory=list)
    keep: list[PlanItem] = field(default_factory=list)
    review: list[PlanItem] = field(default_factory=list)

    def review_by_tenant(self) -> dict[int | None, list[PlanItem]]:
        grouped: dict[int | None, list[PlanItem]] = {}
        for item in self.review:
            grouped.setdefault(item.tenant_id, []).append(item)
        return grouped


def plan_for(person: Person) -> DeletionPlan:
    """What a deletion request would do with each record of the person's account."""
    account = selectors.account_of(person)
    why = reasons()
    tenant_names = dict(
        Organisation.objects.filter(pk__in={e.organisation_id for e in account.employments}).values_list(
            "pk", "name"
        )
    )
    current = sorted(account.current_tenant_ids)
    plan = DeletionPlan()

    def employer(tenant_id: int | None) -> tuple[int | None, str]:
        return tenant_id, tenant_names.get(tenant_id, "") if tenant_id else _("Plattformens drift")

    for item in account.uploads:
        plan.delete_now.append(PlanItem("upload", item.pk, item.title))
    for item in account.educations + account.certifications + account.prior_learning:
        if item.own:
            plan.delete_now.append(PlanItem(item.kind, item.pk, item.title))
        elif item.kind == "certification" and item.record.requirement_id:
            tenant_id, name = employer(item.record.requirement.tenant_id)
            plan.keep.append(
                PlanItem(item.kind, item.pk, item.title, why["required_certification"], tenant_id, name)
            )
        else:
            tenant_id = item.origin.tenant_id
            if tenant_id is None and item.kind == "education" and current:
                tenant_id = current[0]
            plan.review.append(
                PlanItem(item.kind, item.pk, item.title, why[f"employer_{item.kind}"], *employer(tenant_id))
            )
    self_assessments = Assessment.objects.filter(person=person, source=Source.SELF).count()
    if self_assessments:
        plan.delete_now.append(
            PlanItem("self_assessment", None, _("Egenvurderinger (%(count)s)") % {"count": self_assessments})
        )
    for item in account.completions:
        tenant_id = item.origin.tenant_id
        reason = why["completion"] if tenant_id else why["completion_platform"]
        plan.review.append(PlanItem(item.kind, item.pk, item.title, reason, *employer(tenant_id)))
    for item in account.credentials:
        plan.keep.append(PlanItem(item.kind, str(item.pk), item.title, why["credential"], None, item.detail))
    leader_assessments = (
        Assessment.objects.filter(person=person)
        .exclude(source=Source.SELF)
        .select_related("campaign", "competence")
    )
    by_tenant: dict[int | None, int] = {}
    for assessment in leader_assessments:
        if assessment.source != Source.LEADER:
            continue
        tenant_id = (
            assessment.campaign.tenant_id if assessment.campaign else (current[0] if current else None)
        )
        by_tenant[tenant_id] = by_tenant.get(tenant_id, 0) + 1
    for tenant_id, count in by_tenant.items():
        plan.review.append(
            PlanItem(
                "leader_assessment",
                None,
                _("Ledervurderinger (%(count)s)") % {"count": count},
                why["leader_assessment"],
                *employer(tenant_id),
            )
        )
    return plan


def _hr_addresses(tenant: Organisation | None) -> list[str]:
    if tenant is None:
        platform = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first()
        if platform is None:
            return []
        people = permissions.role_holders(Role.PLATFORM_ADMIN, platform)
    else:
        people = permissions.holders(access.HR_PERMISSION, tenant)
    return [p.email for p in people if p.email]


@transaction.atomic
def request_deletion(user: Any, *, confirm: bool) -> AccountEvent:
    """Carry out a deletion request; returns the audit entry that holds the receipt."""
    person = access.person_of(user)
    if not confirm:
        raise InvalidInput(
            _("Bekreft at du vil slette det som kan slettes."),
            errors=[{"field": "confirm", "message": _("Må bekreftes.")}],
        )
    plan = plan_for(person)

    # 1. What the person owns goes at once.
    uploads = list(Upload.objects.filter(person=person))
    files = [u.file.name for u in uploads]
    Upload.objects.filter(pk__in=[u.pk for u in uploads]).delete()
    account = selectors.account_of(person)
    for item in account.educations + account.certifications + account.prior_learning:
        if item.own:
            item.record.delete()
    Assessment.objects.filter(person=person, source=Source.SELF).delete()
    CompetenceLevel.objects.filter(person=person, source=Source.SELF).delete()
    CompetenceLevel.objects.filter(person=person).update(self_level=None)
    _delete_files_after_commit(files)

    # 2. What a human must judge goes to the employer's HR (or the platform operator).
    open_items = {
        (r.tenant_id, item.get("kind"), str(item.get("id")))
        for r in DeletionRequest.objects.filter(person=person, status=RequestStatus.OPEN)
        for item in r.items
    }
    request_ids = []
    for tenant_id, items in plan.review_by_tenant().items():
        fresh = [i for i in items if (tenant_id, i.kind, str(i.id)) not in open_items]
        if not fresh:
            continue
        tenant = Organisation.objects.filter(pk=tenant_id).first() if tenant_id else None
        request = DeletionRequest.objects.create(
            person=person,
            tenant=tenant,
            items=[{"kind": i.kind, "id": i.id, "title": i.title, "reason": i.reason} for i in fresh],
        )
        request_ids.append(request.pk)
        notify(
            _hr_addresses(tenant),
            _("Sletteforespørsel fra en medarbeider"),
            _(
                "%(name)s har bedt om sletting av opplysninger i læringskontoen. %(count)s opplysninger "
                "må vurderes av et menneske: slett det som ikke er underlagt oppbevaringsplikt, og "
                "svar personen i Læringsarena under «Sletteforespørsler»."
            )
            % {"name": person.full_name, "count": len(fresh)},
        )

    receipt = {
        "requested_at": timezone.now().isoformat(),
        "deleted": [asdict(i) for i in plan.delete_now],
        "kept": [asdict(i) for i in plan.keep],
        "sent_for_review": [asdict(i) for i in plan.review],
        "requests": request_ids,
    }
    return AccountEvent.objects.create(
        person=person,
        actor=person,
        kind=EventKind.DELETION,
        summary=_("Sletting: %(deleted)s slettet, %(kept)s beholdt, %(review)s sendt til vurdering")
        % {"deleted": len(plan.delete_now), "kept": len(plan.keep), "review": len(plan.review)},
        data=receipt,
    )


def receipt_for(user: Any, pk: int) -> AccountEvent:
    person = access.person_of(user)
    event = AccountEvent.objects.filter(pk=pk, person=person, kind=EventKind.DELETION).first()
    if event is None:
        raise NotFound()
    return event


@transaction.atomic
def handle_request(user: Any, pk: int, *, note: str) -> DeletionRequest:
    """HR closes a deletion request with an answer the person can read."""
    request = access.access_deletion_request(user, pk)
    text = (note or "").strip()
    if not text:
        raise InvalidInput(
            _("Skriv hva som er slettet og hva som beholdes, og hvorfor."),
            errors=[{"field": "note", "message": _("Må fylles ut.")}],
        )
    if request.status == RequestStatus.DONE:
        raise InvalidInput(_("Forespørselen er allerede behandlet."))
    actor = getattr(user, "person", None)
    request.status = RequestStatus.DONE
    request.note = text[:4000]
    request.handled_by = actor
    request.handled_at = timezone.now()
    request.save()
    AccountEvent.objects.create(
        person=request.person,
        actor=actor,
        kind=EventKind.REQUEST_HANDLED,
        summary=_("Sletteforespørselen til %(tenant)s er behandlet")
        % {"tenant": request.tenant.name if request.tenant else _("plattformens drift")},
        data={"request": request.pk, "note": request.note},
    )
    if request.person.email:
        notify(
            [request.person.email],
            _("Sletteforespørselen din er behandlet"),
            _("Svar fra %(tenant)s:\n\n%(note)s")
            % {
                "tenant": request.tenant.name if request.tenant else _("plattformens drift"),
                "note": request.note,
            },
        )
    return request
