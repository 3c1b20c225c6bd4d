"""Networks across municipalities (interkommunale nettverk), created by agreement.

One municipality's admin (``COMMUNITY_MANAGE``) proposes a network and names the other
municipalities; each of their admins accepts or declines on the agreement page. The network is
in force — listed, joinable — once every participating municipality has accepted. Every step
is told in the app (a notice on «Til oppfølging») and by e-mail to the admins concerned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.community import access, services
from laeringsarena.community.models import (
    CommunityNotice,
    Group,
    GroupKind,
    GroupMunicipality,
    JoinPolicy,
    NoticeKind,
)
from laeringsarena.core.errors import Conflict, NotFound, PermissionDenied
from laeringsarena.core.tasks import notify
from laeringsarena.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


def agreement_link(group: Group) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("community:network_agreement", args=[group.pk])


def _tell_admins(tenant: Organisation, subject: str, body: str) -> None:
    """E-mail each admin of the municipality separately (they need not know each other's addresses)."""
    for person in permissions.holders(Permission.COMMUNITY_MANAGE, tenant):
        if person.email:
            notify([person.email], subject, body)


def candidate_municipalities(home: Organisation) -> list[Organisation]:
    """Municipalities that can be invited into a network (every other municipality)."""
    return list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(pk=home.pk).order_by("name")
    )


@transaction.atomic
def propose_network(
    user: AnyUser,
    *,
    tenant_slug: str,
    name: str,
    municipalities: list[str],
    description: str = "",
    join_policy: str = JoinPolicy.REQUEST,
) -> Group:
    """Propose a network across municipalities; the proposer's municipality agrees at once and
    the admins of each other municipality are asked (notice + e-mail)."""
    group = services.create_group(
        user,
        kind=GroupKind.REGIONAL,
        name=name,
        description=description,
        join_policy=join_policy,
        municipalities=municipalities,
        tenant_slug=tenant_slug,
    )
    link = agreement_link(group)
    for participation in group.municipalities.filter(agreed_at__isnull=True).select_related("tenant"):
        _tell_admins(
            participation.tenant,
            _("[Læringsarena] Forslag om nettverk: %(name)s") % {"name": group.name},
            _(
                "%(home)s foreslår nettverket «%(name)s» sammen med %(tenant)s.\n\n%(description)s\n\n"
                "Nettverket blir opprettet når alle kommunene har sagt ja. Svar her: %(link)s\n"
            )
            % {
                "home": group.tenant.name,
                "name": group.name,
                "tenant": participation.tenant.name,
                "description": group.description,
                "link": link,
            },
        )
    return group


@dataclass(frozen=True)
class Participant:
    tenant: Organisation
    state: str  # "agreed", "declined", "waiting"
    participation: GroupMunicipality


@dataclass(frozen=True)
class Proposal:
    group: Group
    participants: list[Participant]
    in_force: bool
    # Municipalities among the participants that the user administers.
    mine: list[Participant]
    proposer: bool  # the user administers the home municipality


def access_proposal(user: AnyUser, group_id: int) -> Proposal:
    """The agreement page: admins of a participating municipality only (others: 404)."""
    permissions.require_login(user)
    group = Group.objects.filter(pk=group_id, kind=GroupKind.REGIONAL).select_related("tenant").first()
    if group is None:
        raise NotFound()
    managed = access.managed_tenant_ids(user)
    participations = list(group.municipalities.select_related("tenant").order_by("tenant__name"))
    if not managed & {p.tenant_id for p in participations}:
        raise NotFound()
    participants = [
        Participant(
            tenant=p.tenant,
            state="agreed" if p.agreed_at else "declined" if p.declined_at else "waiting",
            participation=p,
        )
        for p in participations
    ]
    return Proposal(
        group=group,
        participants=participants,
        in_force=all(p.state == "agreed" for p in participants),
        mine=[p for p in participants if p.tenant.pk in managed],
        proposer=group.tenant_id in managed,
    )


def _in_force(group: Group) -> None:
    """Every municipality has agreed: tell the proposer's admins (the others just agreed)."""
    names = ", ".join(
        group.municipalities.select_related("tenant")
        .order_by("tenant__name")
        .values_list("tenant__name", flat=True)
    )
    CommunityNotice.objects.create(
        tenant=group.tenant,
        group=group,
        kind=NoticeKind.NETWORK_AGREED,
        message=_("Nettverket «%(name)s» er opprettet: %(names)s har sagt ja.")
        % {"name": group.name, "names": names},
    )
    _tell_admins(
        group.tenant,
        _("[Læringsarena] Nettverket «%(name)s» er opprettet") % {"name": group.name},
        _("Alle kommunene (%(names)s) har sagt ja. Nettverket er åpent for ansatte i kommunene: %(link)s\n")
        % {
            "names": names,
            "link": settings.PUBLIC_URL.rstrip("/") + reverse("community:group", args=[group.pk]),
        },
    )


@transaction.atomic
def accept(user: AnyUser, group_id: int, tenant_slug: str) -> GroupMunicipality:
    """An admin of a participating municipality says yes (also after first saying no)."""
    person = access.person_of(user)
    tenant = permissions.access_tenant(user, tenant_slug, Permission.COMMUNITY_MANAGE)
    participation = (
        GroupMunicipality.objects.select_for_update(of=("self",))
        .filter(group_id=group_id, tenant=tenant, group__kind=GroupKind.REGIONAL)
        .select_related("group", "group__tenant")
        .first()
    )
    if participation is None:
        raise NotFound()
    if participation.agreed_at is not None:
        return participation
    participation.agreed_at, participation.agreed_by = timezone.now(), person
    participation.declined_at, participation.declined_by, participation.decline_reason = None, None, ""
    participation.save()
    CommunityNotice.objects.filter(
        group_id=group_id, tenant=tenant, kind=NoticeKind.AGREEMENT_NEEDED, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
    if access.is_agreed(participation.group):
        _in_force(participation.group)
    return participation


@transaction.atomic
def decline(user: AnyUser, group_id: int, tenant_slug: str, reason: str = "") -> GroupMunicipality:
    """An admin says no. The network is not created; the proposer's admins are told and may go on
    without this municipality (:func:`continue_without_declined`)."""
    person = access.person_of(user)
    tenant = permissions.access_tenant(user, tenant_slug, Permission.COMMUNITY_MANAGE)
    participation = (
        GroupMunicipality.objects.select_for_update(of=("self",))
        .filter(group_id=group_id, tenant=tenant, group__kind=GroupKind.REGIONAL)
        .select_related("group", "group__tenant")
        .first()
    )
    if participation is None:
        raise NotFound()
    group = participation.group
    if group.tenant_id == tenant.pk:
        raise Conflict(_("Kommunen som foreslo nettverket, kan ikke takke nei. Slett forslaget i stedet."))
    if access.is_agreed(group):
        raise Conflict(_("Nettverket er allerede opprettet. Kommunens ansatte kan forlate det selv."))
    now = timezone.now()
    participation.agreed_at, participation.agreed_by = None, None
    participation.declined_at, participation.declined_by = now, person
    participation.decline_reason = reason.strip()[:500]
    participation.save()
    CommunityNotice.objects.filter(
        group=group, tenant=tenant, kind=NoticeKind.AGREEMENT_NEEDED, resolved_at__isnull=True
    ).update(resolved_at=now)
    message = _("%(tenant)s har takket nei til nettverket «%(name)s».") % {
        "tenant": tenant.name,
        "name": group.name,
    }
    if participation.decline_reason:
        message += " " + _("Begrunnelse: %(reason)s") % {"reason": participation.decline_reason}
    CommunityNotice.objects.create(
        tenant=group.tenant, group=group, kind=NoticeKind.NETWORK_DECLINED, message=message[:500]
    )
    _tell_admins(
        group.tenant,
        _("[Læringsarena] %(tenant)s takket nei til «%(name)s»")
        % {"tenant": tenant.name, "name": group.name},
        message
        + "\n\n"
        + _("Gå videre uten kommunen eller trekk forslaget: %(link)s\n") % {"link": agreement_link(group)},
    )
    return participation


def _require_proposer(user: AnyUser, group_id: int) -> Proposal:
    proposal = access_proposal(user, group_id)
    if not proposal.proposer:
        raise PermissionDenied(_("Bare kommunen som foreslo nettverket, kan endre forslaget."))
    if proposal.in_force:
        raise Conflict(_("Nettverket er allerede opprettet."))
    return proposal


@transaction.atomic
def continue_without_declined(user: AnyUser, group_id: int) -> Proposal:
    """The proposer goes on without the municipalities that said no (at least one must remain)."""
    proposal = _require_proposer(user, group_id)
    declined = [p for p in proposal.participants if p.state == "declined"]
    if not declined:
        raise Conflict(_("Ingen kommuner har takket nei."))
    if len(proposal.participants) - len(declined) < 2:
        raise Conflict(_("Et nettverk på tvers trenger minst to kommuner. Trekk forslaget i stedet."))
    GroupMunicipality.objects.filter(pk__in=[p.participation.pk for p in declined]).delete()
    CommunityNotice.objects.filter(
        group_id=group_id, kind=NoticeKind.NETWORK_DECLINED, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
    group = proposal.group
    if access.is_agreed(group):
        _in_force(group)
    return access_proposal(user, group_id)


@transaction.atomic
def withdraw(user: AnyUser, group_id: int) -> None:
    """The proposer withdraws a proposal that is not in force; the others are told."""
    proposal = _require_proposer(user, group_id)
    group = proposal.group
    for participant in proposal.participants:
        if participant.tenant.pk != group.tenant_id and participant.state != "declined":
            _tell_admins(
                participant.tenant,
                _("[Læringsarena] Forslaget om «%(name)s» er trukket") % {"name": group.name},
                _("%(home)s har trukket forslaget om nettverket «%(name)s».")
                % {"home": group.tenant.name, "name": group.name},
            )
    group.delete()


def proposals(user: AnyUser) -> list[Proposal]:
    """Networks not in force yet that involve a municipality the user administers."""
    managed = access.managed_tenant_ids(user)
    if not managed:
        return []
    pending = (
        Group.objects.filter(kind=GroupKind.REGIONAL, municipalities__tenant_id__in=managed)
        .filter(municipalities__agreed_at__isnull=True)
        .distinct()
        .order_by("-created_at")
    )
    return [access_proposal(user, group.pk) for group in pending]
