"""The write path of the competence app: assessments, requirements and mapping campaigns.

Campaign flow (kompetansekartlegging): HR or a leader starts a campaign for a unit, sector or
municipality on a framework (or some of its competences) → every active employee in that
subtree self-assesses → their leader assesses → the campaign is closed. Each step records
assessments with their source and date; the current levels used for gaps follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence import access, selectors
from laeringsarena.competence.models import (
    Assessment,
    Campaign,
    CampaignStatus,
    Competence,
    CompetenceLevel,
    Framework,
    Participant,
    Source,
)
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.core.tasks import notify
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment, Person

# Leader, course and credential assessments outrank a self-assessment for the gap analysis.
OUTRANKS_SELF = {Source.LEADER, Source.COURSE, Source.CREDENTIAL}


def record_assessment(
    person_id: int,
    competence: Competence,
    level: int,
    source: str,
    *,
    assessed_by_id: int | None = None,
    on: dt.date | None = None,
    campaign: Campaign | None = None,
    comment: str = "",
) -> Assessment:
    """Store an assessment and update the person's current level in the competence."""
    max_level = competence.framework.levels.count()
    if not 1 <= level <= max_level:
        raise InvalidInput(
            _("Nivået må være mellom 1 og %(max)s.") % {"max": max_level},
            errors=[{"field": f"level[{competence.pk}]", "reason": str(level)}],
        )
    day = on or timezone.localdate()
    assessment = Assessment.objects.create(
        person_id=person_id,
        competence=competence,
        level=level,
        source=source,
        assessed_by_id=assessed_by_id,
        assessed_on=day,
        campaign=campaign,
        comment=comment[:500],
    )
    current = CompetenceLevel.objects.filter(person_id=person_id, competence=competence).first()
    if current is None:
        CompetenceLevel.objects.create(
            person_id=person_id,
            competence=competence,
            level=level,
            source=source,
            assessed_on=day,
            self_level=level if source == Source.SELF else None,
        )
        return assessment
    if source == Source.SELF:
        current.self_level = level
        if current.source == Source.SELF:
            current.level, current.assessed_on = level, day
    else:
        current.level, current.source, current.assessed_on = level, source, day
    current.save()
    return assessment


# --- Campaigns --------------------------------------------------------------------------------


def _people_in(organisation: Organisation) -> list[tuple[int, int]]:
    """(person id, unit id) of everyone actively employed in the subtree (first unit if several)."""
    rows = (
        Employment.objects.active(timezone.localdate())
        .filter(unit__path__startswith=organisation.path)
        .order_by("person_id", "-percentage", "pk")
        .values_list("person_id", "unit_id")
    )
    return list(dict(reversed(list(rows))).items()) if rows else []


@transaction.atomic
def start_campaign(
    user: Any,
    organisation: Organisation,
    framework: Framework,
    *,
    name: str,
    self_deadline: dt.date,
    leader_deadline: dt.date,
    competence_ids: Iterable[int] | None = None,
) -> Campaign:
    permissions.require_login(user)
    if not access.can_run_campaign(user, organisation):
        raise PermissionDenied()
    errors = []
    if not name.strip():
        errors.append({"field": "name", "reason": _("mangler")})
    if leader_deadline < self_deadline:
        errors.append({"field": "leader_deadline", "reason": _("må være etter fristen for egenvurdering")})
    competences = list(framework.competences.all())
    if competence_ids:
        wanted = set(competence_ids)
        competences = [c for c in competences if c.pk in wanted]
        if len(competences) != len(wanted):
            errors.append({"field": "competences", "reason": _("kompetansene må høre til rammeverket")})
    if errors:
        raise InvalidInput(_("Kartleggingen kan ikke startes."), errors=errors)
    people = _people_in(organisation)
    if not people:
        raise InvalidInput(_("Det er ingen ansatte i %(org)s.") % {"org": organisation.name})
    campaign = Campaign.objects.create(
        tenant_id=organisation.tenant_id or organisation.pk,
        organisation=organisation,
        framework=framework,
        name=name.strip()[:200],
        self_deadline=self_deadline,
        leader_deadline=leader_deadline,
        created_by_id=getattr(user, "person_id", None),
    )
    campaign.competences.set(competences)
    Participant.objects.bulk_create(
        Participant(campaign=campaign, person_id=person_id, unit_id=unit_id) for person_id, unit_id in people
    )
    return campaign


def _levels_from(campaign: Campaign, levels: dict[int, int]) -> list[tuple[Competence, int]]:
    competences = {c.pk: c for c in campaign.competences.select_related("framework")}
    missing = [c for pk, c in competences.items() if pk not in levels]
    unknown = [pk for pk in levels if pk not in competences]
    if missing or unknown:
        raise InvalidInput(
            _("Vurder alle kompetansene i kartleggingen."),
            errors=[{"field": f"level[{c.pk}]", "reason": _("mangler")} for c in missing]
            + [{"field": f"level[{pk}]", "reason": _("hører ikke til kartleggingen")} for pk in unknown],
        )
    return [(competences[pk], level) for pk, level in levels.items()]


@transaction.atomic
def submit_self_assessment(user: Any, campaign: Campaign, levels: dict[int, int]) -> Participant:
    """The employee's own answer; may be changed until the self-assessment phase ends."""
    person_id = getattr(user, "person_id", None)
    participant = (
        Participant.objects.filter(campaign=campaign, person_id=person_id).first() if person_id else None
    )
    if participant is None:
        raise PermissionDenied()
    if campaign.status != CampaignStatus.SELF_ASSESSMENT:
        raise Conflict(_("Egenvurderingen er avsluttet."))
    for competence, level in _levels_from(campaign, levels):
        record_assessment(participant.person_id, competence, level, Source.SELF, campaign=campaign)
    participant.self_done_at = timezone.now()
    participant.save(update_fields=["self_done_at"])
    return participant


@transaction.atomic
def submit_leader_assessment(
    user: Any, campaign: Campaign, participant: Participant, levels: dict[int, int]
) -> Participant:
    """The leader's assessment of one participant (leaders of the person's unit, or HR)."""
    unit = Organisation.objects.get(pk=participant.unit_id)
    if not permissions.has_permission(user, Permission.PEOPLE_VIEW, unit):
        raise PermissionDenied()
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(_("Kartleggingen er avsluttet."))
    for competence, level in _levels_from(campaign, levels):
        record_assessment(
            participant.person_id,
            competence,
            level,
            Source.LEADER,
            campaign=campaign,
            assessed_by_id=getattr(user, "person_id", None),
        )
    participant.leader_done_at = timezone.now()
    participant.save(update_fields=["leader_done_at"])
    return participant


def _require_runner(user: Any, campaign: Campaign) -> None:
    if not access.can_run_campaign(user, campaign.organisation):
        raise PermissionDenied()


def start_leader_phase(user: Any, campaign: Campaign) -> Campaign:
    _require_runner(user, campaign)
    if campaign.status != CampaignStatus.SELF_ASSESSMENT:
        raise Conflict(_("Ledervurderingen er allerede startet."))
    campaign.status = CampaignStatus.LEADER_ASSESSMENT
    campaign.save(update_fields=["status"])
    return campaign


def close_campaign(user: Any, campaign: Campaign) -> Campaign:
    _require_runner(user, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(_("Kartleggingen er allerede avsluttet."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    return campaign


def remind(user: Any, campaign: Campaign) -> int:
    """E-mail everyone who has not answered in the current phase; returns how many were reminded."""
    from django.core.mail import send_mass_mail

    _require_runner(user, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(_("Kartleggingen er avsluttet."))
    waiting = campaign.participants.filter(self_done_at__isnull=True)
    if campaign.status == CampaignStatus.LEADER_ASSESSMENT:
        waiting = Participant.objects.none()  # leaders are reminded in person by HR
    people = (
        Person.objects.filter(pk__in=waiting.values("person_id"))
        .exclude(email__isnull=True)
        .exclude(email="")
    )
    subject = _("Påminnelse: %(name)s") % {"name": campaign.name}
    body = _("Husk å svare på kompetansekartleggingen «%(name)s» innen %(date)s.") % {
        "name": campaign.name,
        "date": campaign.self_deadline.strftime("%d.%m.%Y"),
    }
    messages = [(subject, body, None, [p.email]) for p in people if p.email]
    send_mass_mail(messages, fail_silently=True)
    waiting.update(reminded_at=timezone.now())
    return len(messages)


# Days before a deadline when people who have not answered are reminded (and on the day itself).
REMINDER_DAYS = (7, 2, 0)


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind, by e-mail, whoever has not answered an open campaign 7 and 2 days before its
    deadline and on the day: employees in the self-assessment phase, the nearest leader of each
    unit (with a count, no names in the subject) in the leader phase. Run daily by the scheduler;
    a participant is reminded at most once a day, so a second run sends nothing."""
    from laeringsarena.accounts.models import Role

    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - dt.timedelta(hours=20)
    sent = 0
    for campaign in Campaign.objects.exclude(status=CampaignStatus.CLOSED).select_related("organisation"):
        in_leader_phase = campaign.status == CampaignStatus.LEADER_ASSESSMENT
        deadline = campaign.leader_deadline if in_leader_phase else campaign.self_deadline
        if (deadline - today).days not in REMINDER_DAYS:
            continue
        waiting = campaign.participants.filter(
            **{"leader_done_at__isnull" if in_leader_phase else "self_done_at__isnull": True}
        ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=since))
        date = deadline.strftime("%d.%m.%Y")
        if in_leader_phase:
            by_unit: dict[int, list[Participant]] = {}
            for participant in waiting.select_related("unit"):
                by_unit.setdefault(participant.unit_id, []).append(participant)
            for participants in by_unit.values():
                unit = participants[0].unit
                leaders = permissions.nearest_role_holders(Role.LEADER, unit)
                addresses = [leader.email for leader in leaders if leader.email]
                if not addresses:
                    continue
                notify(
                    addresses,
                    _("Påminnelse: ledervurdering i %(name)s") % {"name": campaign.name},
                    ngettext(
                        "%(count)s medarbeider i %(unit)s venter på ledervurdering i «%(name)s». "
                        "Fristen er %(date)s.",
                        "%(count)s medarbeidere i %(unit)s venter på ledervurdering i «%(name)s». "
                        "Fristen er %(date)s.",
                        len(participants),
                    )
                    % {"count": len(participants), "unit": unit.name, "name": campaign.name, "date": date},
                )
                sent += len(addresses)
        else:
            for participant in waiting.select_related("person"):
                if participant.person.email:
                    notify(
                        [participant.person.email],
                        _("Påminnelse: %(name)s") % {"name": campaign.name},
                        _("Husk å svare på kompetansekartleggingen «%(name)s» innen %(date)s.")
                        % {"name": campaign.name, "date": date},
                    )
                    sent += 1
        waiting.update(reminded_at=now)
    return sent


@dataclass
class ResponseRate:
    participants: int
    self_done: int
    leader_done: int

    @property
    def self_percent(self) -> int:
        return round(100 * self.self_done / self.participants) if self.participants else 0

    @property
    def leader_percent(self) -> int:
        return round(100 * self.leader_done / self.participants) if self.participants else 0


def response_rate(campaign: Campaign, unit: Organisation | None = None) -> ResponseRate:
    participants = campaign.participants.all()
    if unit is not None:
        participants = participants.filter(unit__path__startswith=unit.path)
    return ResponseRate(
        participants=participants.count(),
        self_done=participants.filter(self_done_at__isnull=False).count(),
        leader_done=participants.filter(leader_done_at__isnull=False).count(),
    )


# --- Requirements (kompetansekrav) ------------------------------------------------------------


def _require_manager(user: Any, tenant: Organisation) -> None:
    permissions.require(user, Permission.COMPETENCE_MANAGE, tenant)


def add_requirement(
    user: Any,
    tenant: Organisation,
    *,
    competence_id: int,
    required_level: int,
    organisation_id: int | None = None,
    position_id: int | None = None,
) -> Any:
    from laeringsarena.competence.models import CompetenceRequirement

    _require_manager(user, tenant)
    competence = Competence.objects.filter(pk=competence_id).select_related("framework").first()
    errors = []
    if not competence or (competence.framework.owner_id not in (None, tenant.pk)):
        errors.append({"field": "competence", "reason": _("ukjent kompetanse")})
    elif not 1 <= required_level <= competence.framework.levels.count():
        errors.append({"field": "required_level", "reason": _("nivået finnes ikke i rammeverket")})
    if organisation_id and not tenant.subtree().filter(pk=organisation_id).exists():
        errors.append({"field": "organisation", "reason": _("må høre til kommunen")})
    if errors:
        raise InvalidInput(_("Kravet kan ikke lagres."), errors=errors)
    return CompetenceRequirement.objects.create(
        tenant=tenant,
        organisation_id=organisation_id or None,
        position_id=position_id or None,
        competence_id=competence_id,
        required_level=required_level,
    )


def add_certification_requirement(
    user: Any,
    tenant: Organisation,
    *,
    name: str,
    validity_months: int | None,
    organisation_id: int | None = None,
    position_id: int | None = None,
) -> Any:
    from laeringsarena.competence.models import CertificationRequirement

    _require_manager(user, tenant)
    errors = []
    if not name.strip():
        errors.append({"field": "name", "reason": _("mangler")})
    if organisation_id and not tenant.subtree().filter(pk=organisation_id).exists():
        errors.append({"field": "organisation", "reason": _("må høre til kommunen")})
    if validity_months is not None and not 1 <= validity_months <= 240:
        errors.append({"field": "validity_months", "reason": _("1–240 måneder")})
    if errors:
        raise InvalidInput(_("Kravet kan ikke lagres."), errors=errors)
    return CertificationRequirement.objects.create(
        tenant=tenant,
        organisation_id=organisation_id or None,
        position_id=position_id or None,
        name=name.strip()[:200],
        validity_months=validity_months,
    )


def remove_requirement(user: Any, tenant: Organisation, *, kind: str, pk: int) -> None:
    """Delete a competence or certification requirement of the municipality."""
    from laeringsarena.competence.models import CertificationRequirement, CompetenceRequirement

    _require_manager(user, tenant)
    model = {"competence": CompetenceRequirement, "certification": CertificationRequirement}.get(kind)
    if model is None:
        raise InvalidInput(_("Ukjent kravtype."), errors=[{"field": "kind", "reason": kind}])
    deleted, _rows = model.objects.filter(tenant=tenant, pk=pk).delete()  # type: ignore[attr-defined]
    if not deleted:
        raise NotFound()


# --- Evidence from completed learning -----------------------------------------------------------


def record_completion_evidence(completion: Any) -> list[Assessment]:
    """A completed learning path or catalogue offering is evidence for the competences it develops.

    It counts up to the level the person's position or unit requires (the path was made to meet
    that requirement): the person's current level is raised to the required level with source
    "course", never lowered, and a later leader assessment overrides it as usual. Competences
    without a requirement for the person keep their level — the completion stays visible in the
    profile and the learning account. Idempotent: a second call for the same completion changes
    nothing, because the level already meets the requirement.
    """
    competence_ids: set[int] = set()
    title = ""
    if getattr(completion, "path_id", None):
        competence_ids |= set(completion.path.competences.values_list("pk", flat=True))
        title = completion.path.title
    if getattr(completion, "offering_id", None):
        competence_ids |= set(completion.offering.competences.values_list("pk", flat=True))
        title = title or completion.offering.title
    if not competence_ids:
        return []
    required, _certifications = selectors.requirements_for(completion.person_id)
    current = dict(
        CompetenceLevel.objects.filter(
            person_id=completion.person_id, competence_id__in=competence_ids
        ).values_list("competence_id", "level")
    )
    recorded = []
    for competence, level in required:
        if competence.pk in competence_ids and current.get(competence.pk, 0) < level:
            recorded.append(
                record_assessment(
                    completion.person_id,
                    competence,
                    level,
                    Source.COURSE,
                    on=timezone.localdate(completion.completed_at),
                    comment=_("Fullført: %(title)s") % {"title": title},
                )
            )
    return recorded


def record_credential_evidence(person_id: int, achievement: Any) -> list[Assessment]:
    """A verifiable credential whose achievement names competences and a level is evidence at
    that level (source "credential"): the current level is raised to it, never lowered. Levels a
    framework does not have are ignored rather than refused — the credential is valid anyway."""
    level = getattr(achievement, "level", None)
    if not level:
        return []
    recorded = []
    competences = achievement.competences.select_related("framework")
    current = dict(
        CompetenceLevel.objects.filter(person_id=person_id, competence__in=competences).values_list(
            "competence_id", "level"
        )
    )
    for competence in competences:
        if level <= competence.framework.levels.count() and current.get(competence.pk, 0) < level:
            recorded.append(
                record_assessment(
                    person_id,
                    competence,
                    level,
                    Source.CREDENTIAL,
                    comment=_("Kompetansebevis: %(name)s") % {"name": achievement.name},
                )
            )
    return recorded
