"""API of the community app, mounted under /api/v1/community/.

Reflections are private by default; a reflection is "not found" for anyone but its author and
those it is shared with. Group content answers only to the group's active members.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from laeringsarena.community import access, debriefs, services
from laeringsarena.community.models import (
    Debrief,
    Group,
    Meeting,
    Membership,
    MembershipStatus,
    Post,
    Reflection,
)
from laeringsarena.community.prompts import REFLECTION_PROMPTS
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Page, Problem

router = Router(tags=["community"])


class LinkIn(Schema):
    kind: str
    id: int | None = None
    title: str


class LinkOut(Schema):
    kind: str
    id: int | None
    title: str


class ReflectionIn(Schema):
    body: str
    title: str = ""
    prompt: str = ""
    share_group_id: int | None = None
    share_with_leader: bool = False
    link: LinkIn | None = None


class SharingIn(Schema):
    share_group_id: int | None = None
    share_with_leader: bool = False


class PersonRef(Schema):
    id: int
    name: str


class ReflectionOut(Schema):
    id: int
    author: PersonRef
    title: str
    body: str
    prompt: str
    prompt_text: str
    private: bool
    shared_group_id: int | None
    shared_with_leader: bool
    link: LinkOut | None
    created_at: dt.datetime


def _link(kind: str, pk: int | None, title: str) -> LinkOut | None:
    return LinkOut(kind=kind, id=pk, title=title) if kind else None


def reflection_out(r: Reflection) -> ReflectionOut:
    return ReflectionOut(
        id=r.pk,
        author=PersonRef(id=r.author_id, name=r.author.full_name),
        title=r.title,
        body=r.body,
        prompt=r.prompt,
        prompt_text=str(REFLECTION_PROMPTS.get(r.prompt, "")),
        private=r.is_private,
        shared_group_id=r.shared_group_id,
        shared_with_leader=r.shared_with_leader,
        link=_link(r.link_kind, r.link_id, r.link_title),
        created_at=r.created_at,
    )


def _link_in(link: LinkIn | None) -> services.Link | None:
    return services.Link(kind=link.kind, id=link.id, title=link.title) if link else None


# GET and POST on one path share a URL name (Django has one pattern per path).
@router.post(
    "/reflections",
    url_name="reflections",
    response={201: ReflectionOut, **PROBLEM_RESPONSES},
    summary="Write a reflection (private by default)",
)
def create_reflection(request: HttpRequest, payload: ReflectionIn) -> Status:
    """A new entry in the caller's reflection log. It stays private unless `share_group_id`
    (a group the caller is a member of) or `share_with_leader` is given."""
    reflection = services.write_reflection(
        request.user,
        body=payload.body,
        title=payload.title,
        prompt=payload.prompt,
        share_group_id=payload.share_group_id,
        share_with_leader=payload.share_with_leader,
        link=_link_in(payload.link),
    )
    return Status(201, reflection_out(reflection))


@router.get(
    "/reflections",
    url_name="reflections",
    response={200: list[ReflectionOut], **PROBLEM_RESPONSES},
    summary="My reflections",
)
@paginate(Page)
def list_reflections(request: HttpRequest) -> object:
    """The caller's own reflection log, newest first."""
    person = access.person_of(request.user)
    return [reflection_out(r) for r in Reflection.objects.filter(author=person).select_related("author")]


@router.get(
    "/reflections/{reflection_id}",
    response={200: ReflectionOut, **PROBLEM_RESPONSES},
    summary="One reflection (404 unless it is yours or shared with you)",
)
def get_reflection(request: HttpRequest, reflection_id: int) -> ReflectionOut:
    return reflection_out(access.access_reflection(request.user, reflection_id))


@router.put(
    "/reflections/{reflection_id}/sharing",
    response={200: ReflectionOut, **PROBLEM_RESPONSES},
    summary="Share a reflection with a group or your leader, or make it private again",
)
def share_reflection(request: HttpRequest, reflection_id: int, payload: SharingIn) -> ReflectionOut:
    reflection = services.share_reflection(
        request.user, reflection_id, group_id=payload.share_group_id, with_leader=payload.share_with_leader
    )
    return reflection_out(reflection)


# --- Groups ---------------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    description: str
    join_policy: str
    schedule: str
    municipality: str
    needs_coordinator: bool
    my_role: str | None
    my_status: str | None


def group_out(group: Group, mine: Membership | None) -> GroupOut:
    return GroupOut(
        id=group.pk,
        name=group.name,
        kind=group.kind,
        kind_label=str(group.get_kind_display()),
        description=group.description,
        join_policy=group.join_policy,
        schedule=group.schedule,
        municipality=group.tenant.name,
        needs_coordinator=group.needs_coordinator,
        my_role=mine.role if mine and mine.status == MembershipStatus.ACTIVE else None,
        my_status=mine.status if mine else None,
    )


@router.get("/groups", response={200: list[GroupOut], **PROBLEM_RESPONSES}, summary="My groups")
@paginate(Page)
def list_groups(request: HttpRequest) -> object:
    """The groups and networks the caller is an active member of."""
    person = access.person_of(request.user)
    memberships = (
        Membership.objects.filter(person=person, status=MembershipStatus.ACTIVE)
        .select_related("group", "group__tenant")
        .order_by("group__name", "pk")
    )
    return [group_out(m.group, m) for m in memberships]


@router.get("/groups/{group_id}", response={200: GroupOut, **PROBLEM_RESPONSES}, summary="One group")
def get_group(request: HttpRequest, group_id: int) -> GroupOut:
    group = access.access_group(request.user, group_id)
    return group_out(group, access.membership(getattr(request.user, "person", None), group))


@router.post(
    "/groups/{group_id}/membership",
    response={200: GroupOut, 409: Problem, **PROBLEM_RESPONSES},
    summary="Join (open), ask to join (on request) or accept an invitation",
)
def join_group(request: HttpRequest, group_id: int) -> GroupOut:
    mine = services.join(request.user, group_id)
    return group_out(mine.group, mine)


class PostOut(Schema):
    id: int
    author: PersonRef
    parent_id: int | None
    body: str
    hidden: bool
    created_at: dt.datetime


def post_out(post: Post) -> PostOut:
    hidden = post.hidden_at is not None
    return PostOut(
        id=post.pk,
        author=PersonRef(id=post.author_id, name=post.author.full_name),
        parent_id=post.parent_id,
        body="" if hidden else post.body,
        hidden=hidden,
        created_at=post.created_at,
    )


class PostIn(Schema):
    body: str
    parent_id: int | None = None


@router.get(
    "/groups/{group_id}/posts",
    url_name="group_posts",
    response={200: list[PostOut], **PROBLEM_RESPONSES},
    summary="A group's posts",
)
@paginate(Page)
def list_posts(request: HttpRequest, group_id: int) -> object:
    group = access.access_group_content(request.user, group_id)
    return [post_out(p) for p in group.posts.select_related("author").order_by("created_at", "pk")]


@router.post(
    "/groups/{group_id}/posts",
    url_name="group_posts",
    response={201: PostOut, **PROBLEM_RESPONSES},
    summary="Post in a group",
)
def create_post(request: HttpRequest, group_id: int, payload: PostIn) -> Status:
    post = services.write_post(request.user, group_id, payload.body, payload.parent_id)
    return Status(201, post_out(post))


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    agenda: str
    minutes: str


@router.get(
    "/groups/{group_id}/meetings",
    response={200: list[MeetingOut], **PROBLEM_RESPONSES},
    summary="A group's meetings and professional days",
)
@paginate(Page)
def list_meetings(request: HttpRequest, group_id: int) -> object:
    group = access.access_group_content(request.user, group_id)
    return [
        MeetingOut(
            id=m.pk,
            kind=m.kind,
            title=m.title,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            location=m.location,
            agenda=m.agenda,
            minutes=m.minutes,
        )
        for m in Meeting.objects.filter(group=group)
    ]


# --- Debriefs -------------------------------------------------------------------------------


class DebriefIn(Schema):
    title: str
    answers: dict[str, str]
    template_id: int | None = None
    occurred_on: dt.date | None = None
    link: LinkIn | None = None


class AnswerOut(Schema):
    key: str
    question: str
    answer: str


class OutcomeOut(Schema):
    id: int
    kind: str
    kind_label: str
    description: str
    responsible: PersonRef | None
    due_date: dt.date | None
    status: str


class DebriefOut(Schema):
    id: int
    group_id: int
    title: str
    occurred_on: dt.date | None
    answers: list[AnswerOut]
    outcomes: list[OutcomeOut]
    link: LinkOut | None
    created_at: dt.datetime


class OutcomeIn(Schema):
    kind: str
    description: str
    responsible_id: int | None = None
    due_date: dt.date | None = None


def debrief_out(d: Debrief) -> DebriefOut:
    return DebriefOut(
        id=d.pk,
        group_id=d.group_id,
        title=d.title,
        occurred_on=d.occurred_on,
        answers=[
            AnswerOut(key=q["key"], question=q["label"], answer=d.answers.get(q["key"], ""))
            for q in d.questions
        ],
        outcomes=[
            OutcomeOut(
                id=o.pk,
                kind=o.kind,
                kind_label=str(o.get_kind_display()),
                description=o.description,
                responsible=PersonRef(id=o.responsible.pk, name=o.responsible.full_name)
                if o.responsible
                else None,
                due_date=o.due_date,
                status=o.status,
            )
            for o in d.outcomes.select_related("responsible")
        ],
        link=_link(d.link_kind, d.link_id, d.link_title),
        created_at=d.created_at,
    )


@router.post(
    "/groups/{group_id}/debriefs",
    response={201: DebriefOut, **PROBLEM_RESPONSES},
    summary="Record a structured debrief held by the group",
)
def create_debrief(request: HttpRequest, group_id: int, payload: DebriefIn) -> Status:
    debrief = debriefs.hold_debrief(
        request.user,
        group_id,
        title=payload.title,
        answers=payload.answers,
        template_id=payload.template_id,
        occurred_on=payload.occurred_on,
        link=_link_in(payload.link),
    )
    return Status(201, debrief_out(debrief))


@router.get("/debriefs/{debrief_id}", response={200: DebriefOut, **PROBLEM_RESPONSES}, summary="One debrief")
def get_debrief(request: HttpRequest, debrief_id: int) -> DebriefOut:
    return debrief_out(access.access_debrief(request.user, debrief_id))


@router.post(
    "/debriefs/{debrief_id}/outcomes",
    response={201: DebriefOut, **PROBLEM_RESPONSES},
    summary="Add an outcome: plan item, procedure change request or improvement case",
)
def create_outcome(request: HttpRequest, debrief_id: int, payload: OutcomeIn) -> Status:
    debriefs.add_outcome(
        request.user,
        debrief_id,
        kind=payload.kind,
        description=payload.description,
        responsible_id=payload.responsible_id,
        due_date=payload.due_date,
    )
    return Status(201, debrief_out(access.access_debrief(request.user, debrief_id)))
