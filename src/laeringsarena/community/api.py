"""API of the community app, mounted under /api/v1/community/.

Reflections are private by default; a reflection is "not found" for anyone but its author and
those it is shared with. Group content answers only to the group's active members.
"""

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from laeringsarena.community import access, debriefs, passing_on, services
from laeringsarena.community import feedback as feedback_flow
from laeringsarena.community.models import (
    Debrief,
    ExchangeAgreement,
    ExchangePosting,
    FeedbackRequest,
    Group,
    Meeting,
    Membership,
    MembershipStatus,
    MiniCourse,
    Post,
    Question,
    Reflection,
)
from laeringsarena.community.prompts import REFLECTION_PROMPTS
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Page, Problem
from laeringsarena.core.errors import InvalidInput

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
    handed_over: bool
    target_type: str
    target_id: int | None
    handover_note: str


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
    procedure_id: int | None = None


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
                handed_over=o.handed_over,
                target_type=o.target_type,
                target_id=o.target_id,
                handover_note=o.handover_note,
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
        procedure_id=payload.procedure_id,
    )
    return Status(201, debrief_out(access.access_debrief(request.user, debrief_id)))


# --- Feedback after larger tasks ------------------------------------------------------------


class FeedbackIn(Schema):
    giver_id: int
    task: str
    question: str = ""


class FeedbackAnswerIn(Schema):
    answer: str


class FeedbackOut(Schema):
    id: int
    requester: PersonRef
    giver: PersonRef
    task: str
    question: str
    answer: str
    answered_at: dt.datetime | None
    created_at: dt.datetime


def feedback_out(item: FeedbackRequest) -> FeedbackOut:
    return FeedbackOut(
        id=item.pk,
        requester=PersonRef(id=item.requester_id, name=item.requester.full_name),
        giver=PersonRef(id=item.giver_id, name=item.giver.full_name),
        task=item.task,
        question=item.question,
        answer=item.answer,
        answered_at=item.answered_at,
        created_at=item.created_at,
    )


@router.get(
    "/feedback",
    url_name="feedback",
    response={200: list[FeedbackOut], **PROBLEM_RESPONSES},
    summary="Feedback I asked for and feedback I am asked to give",
)
@paginate(Page)
def list_feedback(request: HttpRequest) -> object:
    person = access.person_of(request.user)
    found = FeedbackRequest.objects.filter(Q(requester=person) | Q(giver=person)).select_related(
        "requester", "giver"
    )
    return [feedback_out(item) for item in found]


@router.post(
    "/feedback",
    url_name="feedback",
    response={201: FeedbackOut, **PROBLEM_RESPONSES},
    summary="Ask a colleague or your leader for feedback after a task",
)
def create_feedback(request: HttpRequest, payload: FeedbackIn) -> Status:
    item = feedback_flow.request_feedback(
        request.user, giver_id=payload.giver_id, task=payload.task, question=payload.question
    )
    return Status(201, feedback_out(item))


@router.get(
    "/feedback/{feedback_id}",
    response={200: FeedbackOut, **PROBLEM_RESPONSES},
    summary="One feedback request (404 for anyone but the two)",
)
def get_feedback(request: HttpRequest, feedback_id: int) -> FeedbackOut:
    return feedback_out(access.access_feedback(request.user, feedback_id))


@router.post(
    "/feedback/{feedback_id}/answer",
    response={200: FeedbackOut, **PROBLEM_RESPONSES},
    summary="Give the feedback you were asked for",
)
def answer_feedback(request: HttpRequest, feedback_id: int, payload: FeedbackAnswerIn) -> FeedbackOut:
    return feedback_out(feedback_flow.give_feedback(request.user, feedback_id, payload.answer))


# --- "Pass it on" mini-courses --------------------------------------------------------------


class MiniCourseIn(Schema):
    title: str
    starts_at: dt.datetime
    summary: str = ""
    duration_minutes: int = 30
    location: str = ""
    link: LinkIn | None = None


class MiniCourseOut(Schema):
    id: int
    title: str
    summary: str
    host: PersonRef
    unit: str
    starts_at: dt.datetime
    duration_minutes: int
    location: str
    status: str
    link: LinkOut | None
    invited: bool
    attended: bool


class AttendanceIn(Schema):
    person_ids: list[int]


class AttendanceOut(Schema):
    attended: int


def mini_course_out(course: MiniCourse, person_id: int) -> MiniCourseOut:
    mine = next((i for i in course.invitations.all() if i.person_id == person_id), None)
    return MiniCourseOut(
        id=course.pk,
        title=course.title,
        summary=course.summary,
        host=PersonRef(id=course.host_id, name=course.host.full_name),
        unit=course.unit.name,
        starts_at=course.starts_at,
        duration_minutes=course.duration_minutes,
        location=course.location,
        status=course.status,
        link=_link(course.link_kind, course.link_id, course.link_title),
        invited=mine is not None,
        attended=bool(mine and mine.attended_at),
    )


@router.get(
    "/mini-courses",
    url_name="mini_courses",
    response={200: list[MiniCourseOut], **PROBLEM_RESPONSES},
    summary="Mini-courses in my units, and those I host or am invited to",
)
@paginate(Page)
def list_mini_courses(request: HttpRequest) -> object:
    person = access.person_of(request.user)
    courses = (
        passing_on.visible_mini_courses(request.user)
        .select_related("host", "unit")
        .prefetch_related("invitations")
    )
    return [mini_course_out(c, person.pk) for c in courses]


@router.post(
    "/mini-courses",
    url_name="mini_courses",
    response={201: MiniCourseOut, **PROBLEM_RESPONSES},
    summary="Plan a mini-course for my unit",
)
def create_mini_course(request: HttpRequest, payload: MiniCourseIn) -> Status:
    course = passing_on.offer_mini_course(
        request.user,
        title=payload.title,
        starts_at=payload.starts_at,
        summary=payload.summary,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        link=_link_in(payload.link),
    )
    return Status(201, mini_course_out(course, course.host_id))


@router.get(
    "/mini-courses/{course_id}",
    response={200: MiniCourseOut, **PROBLEM_RESPONSES},
    summary="One mini-course",
)
def get_mini_course(request: HttpRequest, course_id: int) -> MiniCourseOut:
    course = passing_on.access_mini_course(request.user, course_id)
    return mini_course_out(course, access.person_of(request.user).pk)


@router.post(
    "/mini-courses/{course_id}/registration",
    response={200: MiniCourseOut, 409: Problem, **PROBLEM_RESPONSES},
    summary="Sign up to attend a planned mini-course",
)
def register_mini_course(request: HttpRequest, course_id: int) -> MiniCourseOut:
    invitation = passing_on.register(request.user, course_id)
    return mini_course_out(
        passing_on.access_mini_course(request.user, invitation.course_id), invitation.person_id
    )


@router.post(
    "/mini-courses/{course_id}/invitations",
    response={200: AttendanceOut, **PROBLEM_RESPONSES},
    summary="Invite everyone working in the unit (host only); returns how many were newly invited",
)
def invite_to_mini_course(request: HttpRequest, course_id: int) -> AttendanceOut:
    return AttendanceOut(attended=passing_on.invite_unit(request.user, course_id))


@router.put(
    "/mini-courses/{course_id}/attendance",
    response={200: AttendanceOut, 409: Problem, **PROBLEM_RESPONSES},
    summary="Record who attended (host only, once it has started); attendance is learning",
)
def record_mini_course_attendance(
    request: HttpRequest, course_id: int, payload: AttendanceIn
) -> AttendanceOut:
    return AttendanceOut(attended=passing_on.record_attendance(request.user, course_id, payload.person_ids))


# --- Job exchange and shadowing -------------------------------------------------------------


class CompetenceRef(Schema):
    id: int
    name: str


class PostingIn(Schema):
    kind: str
    position_code: str
    description: str
    mode: str = "shadowing"
    days: int = 2
    network_id: int | None = None
    competence_ids: list[int] = []


class PostingOut(Schema):
    id: int
    kind: str
    mode: str
    position_code: str
    position: str
    unit: str
    municipality: str
    author: PersonRef
    description: str
    days: int
    network_id: int | None
    competences: list[CompetenceRef]
    status: str
    created_at: dt.datetime


class MatchOut(Schema):
    posting: PostingOut
    score: int
    same_position: bool
    shared_competences: list[CompetenceRef]


class PostingDetailOut(PostingOut):
    matches: list[MatchOut]


class ProposalIn(Schema):
    match_id: int


class AgreementOut(Schema):
    id: int
    offer_id: int
    wish_id: int
    host_agreed: bool
    home_agreed: bool
    agreed: bool


def posting_out(p: ExchangePosting) -> PostingOut:
    return PostingOut(
        id=p.pk,
        kind=p.kind,
        mode=p.mode,
        position_code=p.position.code,
        position=p.position.name,
        unit=p.unit.name,
        municipality=p.tenant.name,
        author=PersonRef(id=p.author_id, name=p.author.full_name),
        description=p.description,
        days=p.days,
        network_id=p.network_id,
        competences=[CompetenceRef(id=c.pk, name=c.name) for c in p.competences.all()],
        status=p.status,
        created_at=p.created_at,
    )


def agreement_out(a: ExchangeAgreement) -> AgreementOut:
    return AgreementOut(
        id=a.pk,
        offer_id=a.offer_id,
        wish_id=a.wish_id,
        host_agreed=a.host_agreed_at is not None,
        home_agreed=a.home_agreed_at is not None,
        agreed=a.agreed,
    )


@router.get(
    "/exchange-postings",
    url_name="exchange_postings",
    response={200: list[PostingOut], **PROBLEM_RESPONSES},
    summary="Open job-exchange and shadowing offers and wishes I can see",
)
@paginate(Page)
def list_postings(request: HttpRequest) -> object:
    access.person_of(request.user)
    found = (
        passing_on.visible_postings(request.user)
        .filter(status="open")
        .select_related("unit", "tenant", "author", "position")
        .prefetch_related("competences")
    )
    return [posting_out(p) for p in found]


@router.post(
    "/exchange-postings",
    url_name="exchange_postings",
    response={201: PostingOut, **PROBLEM_RESPONSES},
    summary="Post an offer or a wish for a job exchange or shadowing",
)
def create_posting(request: HttpRequest, payload: PostingIn) -> Status:
    posting = passing_on.post_exchange(
        request.user,
        kind=payload.kind,
        position_code=payload.position_code,
        description=payload.description,
        mode=payload.mode,
        days=payload.days,
        network_id=payload.network_id,
        competence_ids=payload.competence_ids,
    )
    return Status(201, posting_out(posting))


@router.get(
    "/exchange-postings/{posting_id}",
    response={200: PostingDetailOut, **PROBLEM_RESPONSES},
    summary="One posting with its matches (by position and competences, best first)",
)
def get_posting(request: HttpRequest, posting_id: int) -> PostingDetailOut:
    posting = passing_on.access_posting(request.user, posting_id)
    matches = [
        MatchOut(
            posting=posting_out(m.posting),
            score=m.score,
            same_position=m.same_position,
            shared_competences=[CompetenceRef(id=c.pk, name=c.name) for c in m.shared],
        )
        for m in passing_on.matches(request.user, posting)
    ]
    return PostingDetailOut(**posting_out(posting).dict(), matches=matches)


@router.post(
    "/exchange-postings/{posting_id}/proposals",
    response={201: AgreementOut, **PROBLEM_RESPONSES},
    summary="Propose a match between this posting and one of its matches",
)
def propose(request: HttpRequest, posting_id: int, payload: ProposalIn) -> Status:
    posting = passing_on.access_posting(request.user, posting_id)
    if payload.match_id not in {m.posting.pk for m in passing_on.matches(request.user, posting)}:
        raise InvalidInput(
            _("Forslaget må gjelde en som passer."), errors=[{"field": "match_id", "reason": "not a match"}]
        )
    offer, wish = (
        (posting_id, payload.match_id) if posting.kind == "offer" else (payload.match_id, posting_id)
    )
    return Status(201, agreement_out(passing_on.propose_exchange(request.user, offer, wish)))


@router.post(
    "/exchange-agreements/{agreement_id}/approval",
    response={200: AgreementOut, **PROBLEM_RESPONSES},
    summary="A leader of the host unit or of the person's own unit agrees",
)
def approve_agreement(request: HttpRequest, agreement_id: int) -> AgreementOut:
    return agreement_out(passing_on.agree_exchange(request.user, agreement_id))


# --- Ask a colleague ------------------------------------------------------------------------


class QuestionIn(Schema):
    title: str
    body: str = ""


class AnswerIn(Schema):
    body: str


class AcceptIn(Schema):
    answer_id: int


class QuestionAnswerOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: dt.datetime


class QuestionOut(Schema):
    id: int
    group_id: int
    asker: PersonRef
    title: str
    body: str
    accepted_answer_id: int | None
    answers: list[QuestionAnswerOut]
    created_at: dt.datetime


def question_out(q: Question) -> QuestionOut:
    return QuestionOut(
        id=q.pk,
        group_id=q.group_id,
        asker=PersonRef(id=q.asker_id, name=q.asker.full_name),
        title=q.title,
        body=q.body,
        accepted_answer_id=q.accepted_id,
        answers=[
            QuestionAnswerOut(
                id=a.pk,
                author=PersonRef(id=a.author_id, name=a.author.full_name),
                body=a.body,
                created_at=a.created_at,
            )
            for a in q.answers.select_related("author")
        ],
        created_at=q.created_at,
    )


@router.get(
    "/groups/{group_id}/questions",
    url_name="group_questions",
    response={200: list[QuestionOut], **PROBLEM_RESPONSES},
    summary="Questions asked in a group (members only)",
)
@paginate(Page)
def list_questions(request: HttpRequest, group_id: int) -> object:
    group = access.access_group_content(request.user, group_id)
    return [question_out(q) for q in group.questions.select_related("asker")]


@router.post(
    "/groups/{group_id}/questions",
    url_name="group_questions",
    response={201: QuestionOut, **PROBLEM_RESPONSES},
    summary="Ask the group's members a question",
)
def create_question(request: HttpRequest, group_id: int, payload: QuestionIn) -> Status:
    return Status(201, question_out(passing_on.ask(request.user, group_id, payload.title, payload.body)))


@router.get(
    "/questions/{question_id}",
    response={200: QuestionOut, **PROBLEM_RESPONSES},
    summary="One question with its answers (members of its group only)",
)
def get_question(request: HttpRequest, question_id: int) -> QuestionOut:
    return question_out(passing_on.access_question(request.user, question_id))


@router.post(
    "/questions/{question_id}/answers",
    response={201: QuestionOut, **PROBLEM_RESPONSES},
    summary="Answer a question",
)
def create_answer(request: HttpRequest, question_id: int, payload: AnswerIn) -> Status:
    passing_on.answer(request.user, question_id, payload.body)
    return Status(201, question_out(passing_on.access_question(request.user, question_id)))


@router.put(
    "/questions/{question_id}/accepted",
    response={200: QuestionOut, **PROBLEM_RESPONSES},
    summary="The one who asked marks the answer that helped",
)
def accept_answer(request: HttpRequest, question_id: int, payload: AcceptIn) -> QuestionOut:
    return question_out(passing_on.accept_answer(request.user, question_id, payload.answer_id))
