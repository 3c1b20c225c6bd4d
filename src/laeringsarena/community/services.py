"""The write path of the community app. Every function checks access and owns its transaction.

Reads that need access rules are in :mod:`laeringsarena.community.access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.community import access
from laeringsarena.community.models import (
    CommunityNotice,
    Group,
    GroupKind,
    GroupMunicipality,
    GroupResource,
    JoinPolicy,
    LinkKind,
    Meeting,
    MeetingKind,
    MemberRole,
    Membership,
    MembershipStatus,
    NoticeKind,
    Post,
    PostReport,
    Reflection,
)
from laeringsarena.community.prompts import REFLECTION_PROMPTS
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


def _invalid(field: str, reason: str) -> InvalidInput:
    return InvalidInput(reason, errors=[{"field": field, "reason": reason}])


def main_employment(person: Person, on: dt.date | None = None) -> Employment | None:
    """The person's largest active employment (where they mostly work)."""
    return (
        Employment.objects.active(on)
        .filter(person=person)
        .select_related("unit", "organisation", "position")
        .order_by("-percentage", "start_date", "pk")
        .first()
    )


@dataclass(frozen=True)
class Link:
    kind: str
    id: int | None
    title: str

    def validate(self) -> None:
        if self.kind not in LinkKind.values or (self.kind and not self.title.strip()):
            raise _invalid("link", _("Lenken må ha en gyldig type og en tittel."))


# --- Reflections ----------------------------------------------------------------------------


def write_reflection(
    user: AnyUser,
    *,
    body: str,
    title: str = "",
    prompt: str = "",
    share_group_id: int | None = None,
    share_with_leader: bool = False,
    link: Link | None = None,
) -> Reflection:
    """A new entry in the author's reflection log. Private unless sharing is asked for."""
    person = access.person_of(user)
    if not body.strip():
        raise _invalid("body", _("Skriv noen ord."))
    if prompt and prompt not in REFLECTION_PROMPTS:
        raise _invalid("prompt", _("Ukjent refleksjonsspørsmål."))
    if link is not None:
        link.validate()
    employment = main_employment(person)
    reflection = Reflection(
        author=person,
        tenant=employment.organisation if employment else None,
        unit=employment.unit if employment else None,
        prompt=prompt,
        title=title.strip()[:200],
        body=body.strip(),
        link_kind=link.kind if link else "",
        link_id=link.id if link else None,
        link_title=link.title.strip()[:200] if link else "",
    )
    _apply_sharing(user, reflection, share_group_id, share_with_leader)
    reflection.save()
    return reflection


def _apply_sharing(user: AnyUser, reflection: Reflection, group_id: int | None, with_leader: bool) -> None:
    person = access.person_of(user)
    group = None
    if group_id is not None:
        group = Group.objects.filter(pk=group_id).first()
        if group is None or not access.is_member(person, group):
            raise _invalid("share_group_id", _("Du kan bare dele med grupper du er medlem av."))
    if with_leader and reflection.unit_id is None:
        raise _invalid("share_with_leader", _("Du har ingen enhet med leder å dele med."))
    reflection.shared_group = group
    reflection.shared_with_leader = with_leader


def share_reflection(
    user: AnyUser, reflection_id: int, *, group_id: int | None, with_leader: bool
) -> Reflection:
    """Change who an entry is shared with (only the author may)."""
    reflection = access.access_own_reflection(user, reflection_id)
    _apply_sharing(user, reflection, group_id, with_leader)
    reflection.save(update_fields=["shared_group", "shared_with_leader", "updated_at"])
    return reflection


def delete_reflection(user: AnyUser, reflection_id: int) -> None:
    access.access_own_reflection(user, reflection_id).delete()


# --- Groups ---------------------------------------------------------------------------------


def _tenant_of_person(person: Person) -> Organisation:
    employment = main_employment(person)
    if employment is None:
        raise PermissionDenied(_("Du må ha en aktiv ansettelse for å opprette en gruppe."))
    return employment.organisation


def _touch(group: Group) -> None:
    Group.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())


@transaction.atomic
def create_group(
    user: AnyUser,
    *,
    kind: str,
    name: str,
    description: str = "",
    join_policy: str = JoinPolicy.REQUEST,
    unit_id: int | None = None,
    facilitator_id: int | None = None,
    schedule: str = "",
    municipalities: list[str] | None = None,
    tenant_slug: str | None = None,
) -> Group:
    """Create a group with the creator as coordinator.

    Anyone at work may start a collegial guidance group (groups grow from below); a unit team
    needs a leader of the unit or an admin; networks across units or municipalities need
    ``COMMUNITY_MANAGE``. A regional network is in force once the admins of every other
    participating municipality have agreed (:func:`agree_to_network`).
    """
    person = access.person_of(user)
    if kind not in GroupKind.values:
        raise _invalid("kind", _("Ukjent gruppetype."))
    if join_policy not in JoinPolicy.values:
        raise _invalid("join_policy", _("Ukjent opptaksform."))
    if not name.strip():
        raise _invalid("name", _("Gruppen må ha et navn."))
    tenant = _tenant_of_person(person) if kind != GroupKind.REGIONAL else None
    unit = None
    if kind == GroupKind.UNIT_TEAM:
        if unit_id is None:
            raise _invalid("unit_id", _("Velg enheten teamet hører til."))
        unit = Organisation.objects.filter(pk=unit_id).first()
        if unit is None or not (
            any(unit.path.startswith(p) for p in access.leader_paths(user))
            or permissions.has_permission(user, Permission.COMMUNITY_MANAGE, unit)
        ):
            raise NotFound()
        tenant = unit.tenant
    if kind in (GroupKind.NETWORK, GroupKind.REGIONAL):
        if kind == GroupKind.REGIONAL:
            managed = Organisation.objects.filter(pk__in=access.managed_tenant_ids(user)).order_by("path")
            if tenant_slug:
                tenant = managed.filter(slug=tenant_slug).first()
                if tenant is None:
                    raise _invalid(
                        "tenant", _("Du kan bare foreslå nettverk for en kommune du administrerer.")
                    )
            else:
                employment = main_employment(person)
                tenant = (
                    employment.organisation if employment and employment.organisation in managed else None
                )
                tenant = tenant or managed.first()
        if tenant is None or not permissions.has_permission(user, Permission.COMMUNITY_MANAGE, tenant):
            raise PermissionDenied(_("Nettverk opprettes av kommunens administratorer (HR)."))
    assert tenant is not None
    facilitator = None
    if facilitator_id is not None:
        facilitator = Person.objects.filter(pk=facilitator_id).first()
        if facilitator is None:
            raise _invalid("facilitator_id", _("Fant ikke veilederen."))
    group = Group.objects.create(
        tenant=tenant,
        kind=kind,
        name=name.strip()[:200],
        description=description.strip(),
        join_policy=join_policy,
        unit=unit,
        facilitator=facilitator,
        schedule=schedule.strip()[:200],
        created_by=person,
        last_activity_at=timezone.now(),
    )
    now = timezone.now()
    Membership.objects.create(
        group=group, person=person, role=MemberRole.COORDINATOR, status=MembershipStatus.ACTIVE, joined_at=now
    )
    if facilitator is not None and facilitator != person:
        Membership.objects.create(
            group=group, person=facilitator, status=MembershipStatus.ACTIVE, joined_at=now
        )
    if kind == GroupKind.REGIONAL:
        slugs = {slug for slug in (municipalities or []) if slug != tenant.slug}
        others = list(Organisation.objects.filter(slug__in=slugs, kind=OrganisationKind.MUNICIPALITY))
        if len(others) != len(slugs) or not others:
            raise _invalid("municipalities", _("Velg minst én annen kommune som finnes."))
        GroupMunicipality.objects.create(group=group, tenant=tenant, agreed_by=person, agreed_at=now)
        for other in others:
            GroupMunicipality.objects.create(group=group, tenant=other)
            CommunityNotice.objects.create(
                tenant=other,
                group=group,
                kind=NoticeKind.AGREEMENT_NEEDED,
                message=_("%(tenant)s inviterer til nettverket «%(name)s».")
                % {"tenant": tenant.name, "name": group.name},
            )
    return group


def agree_to_network(user: AnyUser, group_id: int, tenant_slug: str) -> GroupMunicipality:
    """An admin of a participating municipality agrees to a regional network
    (see :mod:`laeringsarena.community.networks`)."""
    from laeringsarena.community import networks

    return networks.accept(user, group_id, tenant_slug)


def _eligible(person: Person, group: Group) -> bool:
    """People employed in one of the group's municipalities may take part."""
    return (
        Employment.objects.active()
        .filter(person=person, organisation_id__in=access.group_tenant_ids(group))
        .exists()
    )


@transaction.atomic
def join(user: AnyUser, group_id: int) -> Membership:
    """Join an open group, ask to join an on-request group, or accept an invitation."""
    person = access.person_of(user)
    group = access.access_group(user, group_id)
    if not access.is_agreed(group):
        raise Conflict(_("Nettverket venter fortsatt på avtale mellom kommunene."))
    if not _eligible(person, group):
        raise PermissionDenied(_("Gruppen er for ansatte i kommunene som deltar."))
    found = access.membership(person, group)
    if found is not None and found.status == MembershipStatus.ACTIVE:
        return found
    now = timezone.now()
    if found is not None and found.status == MembershipStatus.INVITED:
        found.status, found.joined_at, found.ended_at = MembershipStatus.ACTIVE, now, None
        found.save(update_fields=["status", "joined_at", "ended_at"])
        return found
    if group.join_policy == JoinPolicy.INVITATION:
        raise PermissionDenied(_("Denne gruppen tar bare inn nye medlemmer etter invitasjon."))
    status = MembershipStatus.ACTIVE if group.join_policy == JoinPolicy.OPEN else MembershipStatus.REQUESTED
    if found is None:
        found = Membership(group=group, person=person)
    found.role = MemberRole.MEMBER
    found.status = status
    found.joined_at = now if status == MembershipStatus.ACTIVE else None
    found.ended_at = None
    found.save()
    return found


@transaction.atomic
def invite(user: AnyUser, group_id: int, email: str) -> Membership:
    """A coordinator invites a colleague (by work e-mail) from one of the group's municipalities."""
    group = access.access_group_content(user, group_id)
    access.require_coordinator(user, group)
    invitee = Person.objects.filter(email__iexact=email.strip()).first()
    if invitee is None or not _eligible(invitee, group):
        raise _invalid("email", _("Fant ingen ansatt med den e-postadressen i kommunene som deltar."))
    found = access.membership(invitee, group)
    if found is not None and found.status == MembershipStatus.ACTIVE:
        return found
    if found is not None and found.status == MembershipStatus.REQUESTED:
        return approve(user, found.pk)
    found = found or Membership(group=group, person=invitee)
    found.role, found.status, found.ended_at = MemberRole.MEMBER, MembershipStatus.INVITED, None
    found.save()
    return found


def _coordinated_membership(user: AnyUser, membership_id: int) -> Membership:
    found = Membership.objects.filter(pk=membership_id).select_related("group").first()
    if found is None:
        raise NotFound()
    group = access.access_group_content(user, found.group_id)
    access.require_coordinator(user, group)
    return found


@transaction.atomic
def approve(user: AnyUser, membership_id: int) -> Membership:
    found = _coordinated_membership(user, membership_id)
    if found.status != MembershipStatus.REQUESTED:
        raise Conflict(_("Det er ingen forespørsel å godkjenne."))
    found.status, found.joined_at = MembershipStatus.ACTIVE, timezone.now()
    found.save(update_fields=["status", "joined_at"])
    return found


@transaction.atomic
def decline(user: AnyUser, membership_id: int) -> None:
    found = _coordinated_membership(user, membership_id)
    if found.status not in (MembershipStatus.REQUESTED, MembershipStatus.INVITED):
        raise Conflict(_("Det er ingen forespørsel å avslå."))
    found.delete()


@transaction.atomic
def set_role(user: AnyUser, membership_id: int, role: str) -> Membership:
    """Coordinators (and the municipality's admins) appoint coordinators and co-coordinators."""
    if role not in MemberRole.values:
        raise _invalid("role", _("Ukjent rolle."))
    found = Membership.objects.filter(pk=membership_id).select_related("group").first()
    if found is None:
        raise NotFound()
    group = found.group
    person = getattr(user, "person", None)
    if not (access.is_coordinator(person, group) or access.can_manage(user, group)):
        raise (
            NotFound()
            if not access.is_member(person, group) and not access.can_manage(user, group)
            else PermissionDenied()
        )
    if found.status != MembershipStatus.ACTIVE:
        raise Conflict(_("Bare aktive medlemmer kan få en rolle."))
    if role == MemberRole.COORDINATOR:
        # One coordinator at a time: the previous one becomes co-coordinator.
        group.memberships.filter(role=MemberRole.COORDINATOR).exclude(pk=found.pk).update(
            role=MemberRole.CO_COORDINATOR
        )
    found.role = role
    found.save(update_fields=["role"])
    if role == MemberRole.COORDINATOR and group.needs_coordinator:
        group.needs_coordinator = False
        group.save(update_fields=["needs_coordinator"])
        group.notices.filter(kind=NoticeKind.NEEDS_COORDINATOR, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
    return found


def leave(user: AnyUser, group_id: int) -> None:
    person = access.person_of(user)
    found = (
        Membership.objects.filter(group_id=group_id, person=person)
        .exclude(status=MembershipStatus.ENDED)
        .first()
    )
    if found is None:
        raise NotFound()
    end_membership(found)


@transaction.atomic
def end_membership(found: Membership) -> None:
    """End a membership and, if it was the coordinator's, hand the group over."""
    was_coordinator = found.role == MemberRole.COORDINATOR and found.status == MembershipStatus.ACTIVE
    found.status, found.ended_at, found.role = MembershipStatus.ENDED, timezone.now(), MemberRole.MEMBER
    found.save(update_fields=["status", "ended_at", "role"])
    if was_coordinator:
        hand_over(found.group)


def hand_over(group: Group) -> Membership | None:
    """The coordinator has left: the longest-serving co-coordinator takes over. Without one,
    the group is flagged as needing a coordinator and the admins of its municipality are told."""
    active = group.memberships.filter(status=MembershipStatus.ACTIVE)
    if active.filter(role=MemberRole.COORDINATOR).exists():
        return None
    successor = active.filter(role=MemberRole.CO_COORDINATOR).order_by("joined_at", "pk").first()
    if successor is not None:
        successor.role = MemberRole.COORDINATOR
        successor.save(update_fields=["role"])
        return successor
    if not group.needs_coordinator:
        group.needs_coordinator = True
        group.save(update_fields=["needs_coordinator"])
        CommunityNotice.objects.create(
            tenant=group.tenant,
            group=group,
            kind=NoticeKind.NEEDS_COORDINATOR,
            message=_("Koordinatoren for «%(name)s» har sluttet, og gruppen har ingen nestkoordinator.")
            % {"name": group.name},
        )
        from laeringsarena.core.tasks import notify

        admins = permissions.holders(Permission.COMMUNITY_MANAGE, group.tenant)
        notify(
            [person.email for person in admins if person.email],
            _("«%(name)s» mangler koordinator") % {"name": group.name},
            _(
                "Koordinatoren for «%(name)s» har sluttet, og gruppen har ingen nestkoordinator. "
                "Utnevn en ny koordinator på gruppesiden i Læringsarena (Refleksjon og nettverk)."
            )
            % {"name": group.name},
        )
    return None


def check_departures(on: dt.date | None = None) -> int:
    """End the memberships of people no longer employed in any of the group's municipalities
    (coordinators first of all, so the hand-over happens). Run daily; returns how many ended."""
    ended = 0
    candidates = Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related("group")
    active_pairs = set(Employment.objects.active(on).values_list("person_id", "organisation_id"))
    for found in candidates.order_by("group_id", "pk"):
        tenants = access.group_tenant_ids(found.group)
        if not any((found.person_id, tenant) in active_pairs for tenant in tenants):
            end_membership(found)
            ended += 1
    return ended


# --- Posts and moderation -------------------------------------------------------------------


@transaction.atomic
def write_post(user: AnyUser, group_id: int, body: str, parent_id: int | None = None) -> Post:
    person = access.person_of(user)
    group = access.access_group_content(user, group_id)
    if not body.strip():
        raise _invalid("body", _("Innlegget er tomt."))
    parent = None
    if parent_id is not None:
        parent = Post.objects.filter(pk=parent_id, group=group).first()
        if parent is None:
            raise NotFound()
        parent = parent.parent or parent  # replies stay one level deep
    post = Post.objects.create(group=group, author=person, parent=parent, body=body.strip())
    _touch(group)
    return post


def _post_in_reach(user: AnyUser, post_id: int) -> Post:
    post = Post.objects.filter(pk=post_id).select_related("group").first()
    if post is None:
        raise NotFound()
    access.access_group_content(user, post.group_id)
    return post


@transaction.atomic
def report_post(user: AnyUser, post_id: int, reason: str) -> PostReport:
    person = access.person_of(user)
    post = _post_in_reach(user, post_id)
    if not reason.strip():
        raise _invalid("reason", _("Skriv hvorfor du melder innlegget."))
    return PostReport.objects.create(post=post, reporter=person, reason=reason.strip()[:500])


@transaction.atomic
def hide_post(user: AnyUser, post_id: int, reason: str) -> Post:
    """Coordinators hide a post; open reports on it are resolved."""
    person = access.person_of(user)
    post = _post_in_reach(user, post_id)
    access.require_coordinator(user, post.group)
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, person, reason.strip()[:300]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    post.reports.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=person)
    return post


@transaction.atomic
def dismiss_reports(user: AnyUser, post_id: int) -> int:
    """Coordinators decide a reported post may stay."""
    person = access.person_of(user)
    post = _post_in_reach(user, post_id)
    access.require_coordinator(user, post.group)
    return post.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=person
    )


# --- Meetings and fagdager ------------------------------------------------------------------


@transaction.atomic
def plan_meeting(
    user: AnyUser,
    group_id: int,
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = MeetingKind.MEETING,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """Coordinators and the facilitator plan meetings and professional days."""
    person = access.person_of(user)
    group = access.access_group_content(user, group_id)
    if not (access.is_coordinator(person, group) or group.facilitator_id == person.pk):
        raise PermissionDenied()
    if kind not in MeetingKind.values:
        raise _invalid("kind", _("Ukjent møtetype."))
    if not title.strip():
        raise _invalid("title", _("Møtet må ha en tittel."))
    if ends_at < starts_at:
        raise _invalid("ends_at", _("Møtet kan ikke slutte før det starter."))
    meeting = Meeting.objects.create(
        group=group,
        kind=kind,
        title=title.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip()[:200],
        agenda=agenda.strip(),
        created_by=person,
    )
    _touch(group)
    return meeting


@transaction.atomic
def write_minutes(user: AnyUser, meeting_id: int, minutes: str) -> Meeting:
    person = access.person_of(user)
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("group").first()
    if meeting is None:
        raise NotFound()
    group = access.access_group_content(user, meeting.group_id)
    if not (access.is_coordinator(person, group) or group.facilitator_id == person.pk):
        raise PermissionDenied()
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    _touch(group)
    return meeting


def send_meeting_reminders(within: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """E-mail the active members of each group about meetings starting within ``within``,
    with the meeting as an iCalendar attachment. Each meeting is reminded once."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from laeringsarena.community.ical import calendar

    now = timezone.now()
    sent = 0
    due = Meeting.objects.filter(reminded_at__isnull=True, starts_at__gt=now, starts_at__lte=now + within)
    for meeting in due.select_related("group"):
        recipients = sorted(
            email
            for email in meeting.group.memberships.filter(status=MembershipStatus.ACTIVE).values_list(
                "person__email", flat=True
            )
            if email
        )
        if recipients:
            start = timezone.localtime(meeting.starts_at)
            message = EmailMessage(
                subject=_("Påminnelse: %(title)s") % {"title": meeting.title},
                body=_("%(group)s: %(title)s %(when)s%(where)s.\n\n%(agenda)s")
                % {
                    "group": meeting.group.name,
                    "title": meeting.title,
                    "when": start.strftime("%d.%m.%Y %H:%M"),
                    "where": f", {meeting.location}" if meeting.location else "",
                    "agenda": meeting.agenda,
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[str(settings.DEFAULT_FROM_EMAIL)],
                bcc=recipients,  # members do not see each other's addresses
            )
            message.attach("mote.ics", calendar(meeting.group, [meeting]), "text/calendar")
            message.send()
            sent += 1
        Meeting.objects.filter(pk=meeting.pk).update(reminded_at=now)
    return sent


@transaction.atomic
def share_resource(
    user: AnyUser, group_id: int, *, title: str, url: str, description: str = ""
) -> GroupResource:
    """Any member shares a link with the group (http or https only)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    person = access.person_of(user)
    group = access.access_group_content(user, group_id)
    if not title.strip():
        raise _invalid("title", _("Gi ressursen en tittel."))
    try:
        URLValidator(schemes=["http", "https"])(url.strip())
    except ValidationError as err:
        raise _invalid("url", _("Lenken må begynne med https:// eller http://.")) from err
    resource = GroupResource.objects.create(
        group=group,
        title=title.strip()[:200],
        url=url.strip(),
        description=description.strip()[:500],
        added_by=person,
    )
    _touch(group)
    return resource
