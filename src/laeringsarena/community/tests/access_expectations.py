"""Who may open the community app's views and API operations (see core/tests/test_access.py)."""

from __future__ import annotations

import json

from laeringsarena.community.models import (
    Debrief,
    ExchangeAgreement,
    ExchangePosting,
    FeedbackRequest,
    Group,
    Meeting,
    MeetingKind,
    MiniCourse,
    PassItOnInvitation,
    Question,
    Reflection,
)
from laeringsarena.testing.access import (
    AGGREGATES,
    FJORDVIK,
    LOGGED_IN,
    NOT_ALLOWED,
    Expectations,
    always,
    logged_in,
    only,
)

GUIDANCE_MEMBERS = ("ansatt", "ansatt2", "leder")
# Logins with an active employment (the provider's editor and the platform admin have none).
EMPLOYED = LOGGED_IN - {"leverandor", "admin"}
NETWORK_MEMBERS = ("leder", "kommunalsjef", "leder_nordoy")

POST_ONLY = {"guidance_group": always(NOT_ALLOWED)}

WEB: dict[str, Expectations] = {
    "community:home": {None: logged_in},
    "community:reflection": {
        "private_reflection": only("ansatt"),
        "leader_reflection": only("ansatt", "leder", "kommunalsjef"),
        "group_reflection": only(*GUIDANCE_MEMBERS),
        "nordoy_reflection": only("ansatt_nordoy"),
    },
    "community:groups": {None: logged_in},
    "community:group": {
        "guidance_group": only(FJORDVIK, "admin"),
        "regional_group": only(*NETWORK_MEMBERS, "hr", "admin"),
    },
    "community:group_join": POST_ONLY,
    "community:group_leave": POST_ONLY,
    "community:group_invite": POST_ONLY,
    "community:group_post": POST_ONLY,
    "community:group_resource": POST_ONLY,
    "community:meeting_new": POST_ONLY,
    "community:post_report": POST_ONLY,
    "community:post_moderate": POST_ONLY,
    "community:membership_decide": POST_ONLY,
    "community:group_calendar": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "community:debrief_new": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "community:meeting": {"fagdag": only(*NETWORK_MEMBERS)},
    "community:debrief": {"guidance_debrief": only(*GUIDANCE_MEMBERS)},
    "community:feedback": {None: logged_in},
    "community:feedback_detail": {"feedback": only("ansatt", "leder")},
    "community:notices": {None: only("hr", "admin")},
    "community:insight": {None: only(AGGREGATES)},
    "community:mini_courses": {None: logged_in},
    # A mini-course in Fjordvik sykehjem: people working in that unit (not its wards).
    "community:mini_course": {"mini_course": only("ansatt", "ansatt2", "leder")},
    "community:exchange": {None: logged_in},
    "community:exchange_posting": {
        "local_offer": only(FJORDVIK - {"leverandor"}),  # everyone employed in Fjordvik
        "network_offer": only(*NETWORK_MEMBERS),  # posted in the regional network
    },
    "community:exchange_agree": POST_ONLY,
    "community:group_ask": POST_ONLY,
    "community:question": {"question": only(*GUIDANCE_MEMBERS)},
    # Networks across municipalities: proposed and agreed by the municipalities' admins.
    "community:network_new": {None: only("hr", "admin")},
    "community:network_agreement": {"regional_group": only("hr", "admin")},
    # A "pass it on" invitation is the invited person's only.
    "community:pass_it_on": {"pass_it_on": only("ansatt")},
}

API: dict[str, Expectations] = {
    "POST /api/v1/community/reflections": {None: logged_in},
    "GET /api/v1/community/reflections": {None: logged_in},
    "GET /api/v1/community/reflections/{reflection_id}": {
        "private_reflection": only("ansatt"),
        # Shared with the leader: the unit leader and the sector leader above, nobody else.
        "leader_reflection": only("ansatt", "leder", "kommunalsjef"),
        "group_reflection": only(*GUIDANCE_MEMBERS),
        "nordoy_reflection": only("ansatt_nordoy"),
    },
    # The matrix runs every role on one database: the body keeps the entry shared as it was.
    "PUT /api/v1/community/reflections/{reflection_id}/sharing": {"leader_reflection": only("ansatt")},
    "GET /api/v1/community/groups": {None: logged_in},
    "GET /api/v1/community/groups/{group_id}": {
        "guidance_group": only(FJORDVIK, "admin"),
        "regional_group": only(*NETWORK_MEMBERS, "hr", "admin"),
    },
    "POST /api/v1/community/groups/{group_id}/membership": {
        "guidance_group": only(FJORDVIK - {"leverandor"}),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "GET /api/v1/community/groups/{group_id}/posts": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "POST /api/v1/community/groups/{group_id}/posts": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "GET /api/v1/community/groups/{group_id}/meetings": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "POST /api/v1/community/groups/{group_id}/debriefs": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "GET /api/v1/community/debriefs/{debrief_id}": {"guidance_debrief": only(*GUIDANCE_MEMBERS)},
    "POST /api/v1/community/debriefs/{debrief_id}/outcomes": {"guidance_debrief": only(*GUIDANCE_MEMBERS)},
    # Feedback: private to the two (the demo request: the employee asked the unit leader).
    "GET /api/v1/community/feedback": {None: logged_in},
    "POST /api/v1/community/feedback": {None: logged_in},  # the body names nobody: 400 for all
    "GET /api/v1/community/feedback/{feedback_id}": {"feedback": only("ansatt", "leder")},
    "POST /api/v1/community/feedback/{feedback_id}/answer": {"feedback": only("leder")},
    # Mini-courses: people working in the host's unit; the demo course is held (no sign-up).
    "GET /api/v1/community/mini-courses": {None: logged_in},
    "POST /api/v1/community/mini-courses": {None: only(EMPLOYED)},
    "GET /api/v1/community/mini-courses/{course_id}": {"mini_course": only("ansatt", "ansatt2", "leder")},
    "POST /api/v1/community/mini-courses/{course_id}/registration": {
        "mini_course": only("ansatt", "ansatt2", "leder")
    },
    "POST /api/v1/community/mini-courses/{course_id}/invitations": {"mini_course": only("ansatt2")},
    "PUT /api/v1/community/mini-courses/{course_id}/attendance": {"mini_course": only("ansatt2")},
    # Job exchange: postings in the municipality, or in a network for its members.
    "GET /api/v1/community/exchange-postings": {None: logged_in},
    "POST /api/v1/community/exchange-postings": {None: only(EMPLOYED)},
    "GET /api/v1/community/exchange-postings/{posting_id}": {
        "local_offer": only(FJORDVIK - {"leverandor"}),
        "network_offer": only(*NETWORK_MEMBERS),
    },
    "POST /api/v1/community/exchange-postings/{posting_id}/proposals": {
        "local_offer": only(FJORDVIK - {"leverandor"}),
        "network_offer": only(*NETWORK_MEMBERS),
    },
    # The leaders of the host unit (the nursing home) and of the person's unit (same sector).
    "POST /api/v1/community/exchange-agreements/{agreement_id}/approval": {
        "agreement": only("leder", "kommunalsjef")
    },
    # Ask a colleague: members of the group only; the one who asked accepts an answer.
    "GET /api/v1/community/groups/{group_id}/questions": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "POST /api/v1/community/groups/{group_id}/questions": {
        "guidance_group": only(*GUIDANCE_MEMBERS),
        "regional_group": only(*NETWORK_MEMBERS),
    },
    "GET /api/v1/community/questions/{question_id}": {"question": only(*GUIDANCE_MEMBERS)},
    "POST /api/v1/community/questions/{question_id}/answers": {"question": only(*GUIDANCE_MEMBERS)},
    "PUT /api/v1/community/questions/{question_id}/accepted": {"question": only("ansatt2")},
}


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


BODIES: dict[str, tuple[str, bytes, str]] = {
    "PUT /api/v1/community/reflections/{reflection_id}/sharing": (
        "application/json",
        _json({"share_with_leader": True}),
        "",
    ),
    "POST /api/v1/community/reflections": ("application/json", _json({"body": "Hva lærte jeg i dag?"}), ""),
    "POST /api/v1/community/groups/{group_id}/posts": ("application/json", _json({"body": "Hei!"}), ""),
    "POST /api/v1/community/groups/{group_id}/debriefs": (
        "application/json",
        _json({"title": "Gjennomgang", "answers": {"happened": "Noe skjedde."}}),
        "",
    ),
    "POST /api/v1/community/debriefs/{debrief_id}/outcomes": (
        "application/json",
        _json({"kind": "improvement_case", "description": "Ny rutine."}),
        "",
    ),
    # Bodies that pass the schema but are refused by the service (400) when access is allowed,
    # so the matrix changes little in the demo.
    "POST /api/v1/community/feedback": ("application/json", _json({"giver_id": 0, "task": "x"}), ""),
    "POST /api/v1/community/feedback/{feedback_id}/answer": ("application/json", _json({"answer": " "}), ""),
    "POST /api/v1/community/mini-courses": (
        "application/json",
        _json({"title": " ", "starts_at": "2030-01-01T12:00:00+01:00"}),
        "",
    ),
    "PUT /api/v1/community/mini-courses/{course_id}/attendance": (
        "application/json",
        _json({"person_ids": []}),
        "",
    ),
    "POST /api/v1/community/exchange-postings": (
        "application/json",
        _json({"kind": "wish", "position_code": "-", "description": "x"}),
        "",
    ),
    "POST /api/v1/community/exchange-postings/{posting_id}/proposals": (
        "application/json",
        _json({"match_id": 0}),
        "",
    ),
    "POST /api/v1/community/groups/{group_id}/questions": ("application/json", _json({"title": " "}), ""),
    "POST /api/v1/community/questions/{question_id}/answers": ("application/json", _json({"body": " "}), ""),
    "PUT /api/v1/community/questions/{question_id}/accepted": (
        "application/json",
        _json({"answer_id": 0}),
        "",
    ),
}


def targets() -> dict[str, dict[str, object]]:
    def reflection(**lookup: object) -> dict[str, object]:
        found = Reflection.objects.filter(**lookup).order_by("pk").first()
        assert found is not None, lookup
        return {"pk": found.pk, "reflection_id": found.pk}

    def group(name: str) -> dict[str, object]:
        found = Group.objects.get(name=name)
        return {"pk": found.pk, "group_id": found.pk}

    debrief = Debrief.objects.order_by("pk").first()
    fagdag = Meeting.objects.filter(kind=MeetingKind.PROFESSIONAL_DAY).order_by("pk").first()
    feedback = FeedbackRequest.objects.order_by("pk").first()
    assert debrief is not None and fagdag is not None and feedback is not None
    course = MiniCourse.objects.order_by("pk").first()
    local_offer = ExchangePosting.objects.filter(kind="offer", network__isnull=True).order_by("pk").first()
    network_offer = ExchangePosting.objects.filter(kind="offer", network__isnull=False).order_by("pk").first()
    question = Question.objects.order_by("pk").first()
    invitation = (
        PassItOnInvitation.objects.filter(person__email="ansatt@fjordvik.demo").order_by("pk").first()
    )
    agreement = ExchangeAgreement.objects.order_by("pk").first()
    assert course and local_offer and network_offer and question and invitation and agreement
    return {
        "private_reflection": reflection(
            author__email="ansatt@fjordvik.demo", shared_group__isnull=True, shared_with_leader=False
        ),
        "leader_reflection": reflection(author__email="ansatt@fjordvik.demo", shared_with_leader=True),
        "group_reflection": reflection(author__email="ansatt@fjordvik.demo", shared_group__isnull=False),
        "nordoy_reflection": reflection(author__email="ansatt@nordoy.demo"),
        "guidance_group": group("Kollegaveiledning på sykehjemmet"),
        "regional_group": group("Ledernettverk helse og omsorg Fjordvik–Nordøy"),
        "guidance_debrief": {"pk": debrief.pk, "debrief_id": debrief.pk},
        "fagdag": {"pk": fagdag.pk},
        "feedback": {"pk": feedback.pk, "feedback_id": feedback.pk},
        "mini_course": {"pk": course.pk, "course_id": course.pk},
        "local_offer": {"pk": local_offer.pk, "posting_id": local_offer.pk},
        "network_offer": {"pk": network_offer.pk, "posting_id": network_offer.pk},
        "question": {"pk": question.pk, "question_id": question.pk},
        "agreement": {"agreement_id": agreement.pk},
        "pass_it_on": {"pk": invitation.pk},
    }
