"""Demo data for learning at work: groups (active and dormant), a leader network across
Fjordvik and Nordøy with a fagdag and minutes, reflections, a debrief and feedback.

Deterministic (fixed choices, dates relative to today), idempotent (nothing is added when the
marker group exists) and fast (a few dozen inserts).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from laeringsarena.community.models import (
    CommunityNotice,
    Debrief,
    DebriefOutcome,
    DebriefTemplate,
    FeedbackRequest,
    Group,
    GroupKind,
    GroupMunicipality,
    JoinPolicy,
    LinkKind,
    Meeting,
    MeetingKind,
    MemberRole,
    Membership,
    MembershipStatus,
    NoticeKind,
    OutcomeKind,
    Post,
    Reflection,
)
from laeringsarena.community.prompts import DEFAULT_DEBRIEF_QUESTIONS
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person

GUIDANCE = "Kollegaveiledning på sykehjemmet"
TEAM = "Team Fjordvik sykehjem"
DORMANT = "Nettverk for administrative oppgaver"
REGIONAL = "Ledernettverk helse og omsorg Fjordvik–Nordøy"


def _person(email: str) -> Person:
    return Person.objects.get(email=email)


def _colleagues(unit: Organisation, exclude: set[int], count: int) -> list[Person]:
    """The first ``count`` active colleagues in a unit, in a stable order."""
    ids = (
        Employment.objects.active()
        .filter(unit=unit)
        .exclude(person_id__in=exclude)
        .order_by("person__family_name", "person__given_name", "person_id")
        .values_list("person_id", flat=True)
    )
    seen: list[int] = []
    for pk in ids:
        if pk not in seen:
            seen.append(pk)
        if len(seen) == count:
            break
    by_id = Person.objects.in_bulk(seen)
    return [by_id[pk] for pk in seen]


def load() -> None:
    fjordvik = Organisation.objects.filter(slug="fjordvik", kind=OrganisationKind.MUNICIPALITY).first()
    nordoy = Organisation.objects.filter(slug="nordoy", kind=OrganisationKind.MUNICIPALITY).first()
    if fjordvik is None or nordoy is None:
        return
    with transaction.atomic():
        if not Group.objects.filter(tenant=fjordvik, name=GUIDANCE).exists():
            _load(fjordvik, nordoy)
        from laeringsarena.community.models import MiniCourse

        if not MiniCourse.objects.filter(tenant=fjordvik).exists():
            _load_passing_on(fjordvik, nordoy)
        from laeringsarena.community.models import PassItOnInvitation

        if not PassItOnInvitation.objects.filter(tenant=fjordvik).exists():
            _load_pass_it_on(fjordvik)
        from laeringsarena.community.models import GroupResource

        regional = Group.objects.filter(tenant=fjordvik, name=REGIONAL).first()
        if regional is not None and not regional.resources.exists():
            GroupResource.objects.create(
                group=regional,
                title="Sjekkliste: legemiddelhåndtering for vikarer",
                url="https://www.helsedirektoratet.no/tema/legemidler",
                description="Fjordviks sjekkliste med klarsignal, delt etter fagdagen.",
                added_by=_person("leder@fjordvik.demo"),
            )


def _load(fjordvik: Organisation, nordoy: Organisation) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    home = Organisation.objects.get(tenant=fjordvik, slug="fjordvik-sykehjem")
    ingrid = _person("ansatt@fjordvik.demo")
    amir = _person("ansatt2@fjordvik.demo")
    hilde = _person("leder@fjordvik.demo")
    geir = _person("kommunalsjef@fjordvik.demo")
    marte = _person("hr@fjordvik.demo")
    sunniva = _person("ansatt@nordoy.demo")
    kjell = _person("leder@nordoy.demo")
    martin = _person("admin@laeringsarena.demo")
    fixed = {p.pk for p in (ingrid, amir, hilde, geir, marte, sunniva, kjell, martin)}
    staff = _colleagues(home, fixed, 6)

    def member(group: Group, person: Person, role: str = MemberRole.MEMBER, days: int = 200) -> Membership:
        return Membership(
            group=group,
            person=person,
            role=role,
            status=MembershipStatus.ACTIVE,
            joined_at=now - dt.timedelta(days=days),
        )

    # An active collegial guidance group, every other Thursday, led by the unit leader.
    guidance = Group.objects.create(
        tenant=fjordvik,
        kind=GroupKind.GUIDANCE,
        name=GUIDANCE,
        description="Vi drøfter krevende situasjoner fra vaktene og lærer av hverandre.",
        join_policy=JoinPolicy.REQUEST,
        unit=home,
        facilitator=hilde,
        schedule="Annenhver torsdag kl. 14.00–14.45, møterommet i 2. etasje",
        created_by=ingrid,
        last_activity_at=now - dt.timedelta(days=2),
    )
    team = Group.objects.create(
        tenant=fjordvik,
        kind=GroupKind.UNIT_TEAM,
        name=TEAM,
        description="Alle som jobber på Fjordvik sykehjem.",
        join_policy=JoinPolicy.INVITATION,
        unit=home,
        created_by=hilde,
        last_activity_at=now - dt.timedelta(days=6),
    )
    # A network that died when its coordinator left (seed 000): flagged, the admins are told.
    dormant = Group.objects.create(
        tenant=fjordvik,
        kind=GroupKind.NETWORK,
        name=DORMANT,
        description="Læringsarena for alle med administrative oppgaver i kommunen.",
        join_policy=JoinPolicy.OPEN,
        needs_coordinator=True,
        created_by=marte,
        last_activity_at=now - dt.timedelta(days=420),
    )
    regional = Group.objects.create(
        tenant=fjordvik,
        kind=GroupKind.REGIONAL,
        name=REGIONAL,
        description=(
            "Enhetsledere og kommunalsjefer i helse og omsorg deler erfaringer på tvers av kommunene."
        ),
        join_policy=JoinPolicy.INVITATION,
        schedule="Fagdag hvert kvartal, nettmøte første tirsdag i måneden",
        created_by=marte,
        last_activity_at=now - dt.timedelta(days=9),
    )
    GroupMunicipality.objects.bulk_create(
        [
            GroupMunicipality(
                group=regional, tenant=fjordvik, agreed_by=marte, agreed_at=now - dt.timedelta(days=120)
            ),
            GroupMunicipality(
                group=regional, tenant=nordoy, agreed_by=martin, agreed_at=now - dt.timedelta(days=115)
            ),
        ]
    )
    memberships = [
        member(guidance, ingrid, MemberRole.COORDINATOR, 300),
        member(guidance, amir, MemberRole.CO_COORDINATOR, 290),
        member(guidance, hilde, days=300),
        *[member(guidance, p, days=250 - 10 * i) for i, p in enumerate(staff[:4])],
        member(team, hilde, MemberRole.COORDINATOR, 700),
        member(team, ingrid, days=700),
        member(team, amir, days=650),
        *[member(team, p, days=600) for p in staff],
        member(regional, hilde, MemberRole.COORDINATOR, 120),
        member(regional, kjell, MemberRole.CO_COORDINATOR, 115),
        member(regional, geir, days=110),
    ]
    leaver = staff[5] if len(staff) > 5 else None
    if leaver is not None:
        memberships += [member(dormant, leaver, days=800)]
    Membership.objects.bulk_create(memberships)
    Membership.objects.filter(group=dormant).update(
        status=MembershipStatus.ENDED, ended_at=now - dt.timedelta(days=400)
    )
    CommunityNotice.objects.create(
        tenant=fjordvik,
        group=dormant,
        kind=NoticeKind.NEEDS_COORDINATOR,
        message=f"Koordinatoren for «{DORMANT}» har sluttet, og gruppen har ingen nestkoordinator.",
    )

    # Posts: a thread in the guidance group, and in the regional network.
    first = Post.objects.create(
        group=guidance,
        author=ingrid,
        body="Forslag til neste gang: hvordan møter vi pårørende som er uenige i behandlingen?",
    )
    Post.objects.create(
        group=guidance, author=amir, parent=first, body="Godt forslag. Jeg har et eksempel fra forrige helg."
    )
    Post.objects.create(group=guidance, author=hilde, parent=first, body="Vi tar det som tema torsdag.")
    network_post = Post.objects.create(
        group=regional,
        author=kjell,
        body="Hvordan har dere organisert opplæringen i medisinhåndtering for ufaglærte vikarer?",
    )
    Post.objects.create(
        group=regional,
        author=hilde,
        parent=network_post,
        body="Vi bruker faddere og en sjekkliste med klarsignal. Jeg deler den under ressurser på fagdagen.",
    )

    # Meetings: the guidance group's next meeting, and a fagdag with agenda and minutes.
    def at(days: int, hour: int) -> dt.datetime:
        local = timezone.localtime(now) + dt.timedelta(days=days)
        return local.replace(hour=hour)

    Meeting.objects.bulk_create(
        [
            Meeting(
                group=guidance,
                title="Kollegaveiledning: pårørendesamarbeid",
                starts_at=at(5, 14),
                ends_at=at(5, 14) + dt.timedelta(minutes=45),
                location="Møterommet, 2. etasje",
                agenda=(
                    "1. Runde: hvordan står det til?\n2. Case: pårørende som er uenige\n"
                    "3. Hva tar vi med oss?"
                ),
                created_by=ingrid,
            ),
            Meeting(
                group=regional,
                kind=MeetingKind.PROFESSIONAL_DAY,
                title="Fagdag: læring etter avvik",
                starts_at=at(-30, 9),
                ends_at=at(-30, 15),
                location="Nordøy omsorgssenter, storsalen",
                agenda="09.00 Velkommen\n09.30 Erfaringer med avvik som læring (Nordøy)\n"
                "11.00 Gruppearbeid: debrief etter hendelser\n13.00 Medisinhåndtering og vikarer\n"
                "14.30 Oppsummering og neste fagdag",
                minutes="Til stede: 9 ledere fra Fjordvik og Nordøy.\n"
                "- Nordøy deler malen for debrief etter hendelser.\n"
                "- Fjordvik deler sjekklisten for medisinhåndtering.\n"
                "- Neste fagdag i Fjordvik, tema: heltidskultur og læring.",
                created_by=hilde,
            ),
            Meeting(
                group=regional,
                title="Nettmøte: heltidskultur",
                starts_at=at(21, 13),
                ends_at=at(21, 14),
                location="Teams",
                agenda="Forberedelse til neste fagdag.",
                created_by=kjell,
            ),
        ]
    )

    # A debrief after a fall, with outcomes; a configured template for the municipality.
    DebriefTemplate.objects.create(
        tenant=fjordvik,
        name="Gjennomgang etter fall",
        questions=[
            *DEFAULT_DEBRIEF_QUESTIONS[:1],
            {"key": "risk", "label": "Hvilke risikofaktorer kjente vi til?", "help": ""},
            *DEFAULT_DEBRIEF_QUESTIONS[1:],
        ],
    )
    debrief = Debrief.objects.create(
        group=guidance,
        title="Fall på natt, avdeling 1",
        occurred_on=(now - dt.timedelta(days=12)).date(),
        questions=DEFAULT_DEBRIEF_QUESTIONS,
        answers={
            "happened": "En beboer falt på vei til badet kl. 03. Sengealarmen var slått av.",
            "went_well": "Rask tilsyn, riktig varsling av sykepleier og pårørende.",
            "better": "Ingen visste hvem som hadde slått av alarmen, og det stod ikke i rapporten.",
            "change": "Alarmstatus sjekkes ved vaktskifte og skrives i rapporten.",
        },
        held_by=ingrid,
        link_kind=LinkKind.DEVIATION,
        link_title="Avvik: fall uten sengealarm",
    )
    DebriefOutcome.objects.bulk_create(
        [
            DebriefOutcome(
                debrief=debrief,
                kind=OutcomeKind.PROCEDURE_CHANGE,
                description="Legg sjekk av sengealarm inn i prosedyren for vaktskifte.",
                responsible=hilde,
                due_date=(now + dt.timedelta(days=14)).date(),
            ),
            DebriefOutcome(
                debrief=debrief,
                kind=OutcomeKind.PLAN_ITEM,
                description="Oppfriskning i fallforebygging for nattevaktene.",
                responsible=amir,
            ),
        ]
    )

    # Reflections: private, shared with the leader, shared with the group; one in Nordøy.
    reflections = [
        Reflection(
            author=ingrid,
            tenant=fjordvik,
            unit=home,
            prompt="hard",
            title="Uro på kveldsvakt",
            body="En beboer ble urolig da vi hadde dårlig tid. Jeg satte meg ned og roet tempoet. Det hjalp.",
        ),
        Reflection(
            author=ingrid,
            tenant=fjordvik,
            unit=home,
            prompt="apply",
            title="Etter kurset i demensomsorg",
            body=(
                "Jeg vil prøve miljøbehandling før vi vurderer beroligende medisin. "
                "Kan vi ta det opp på personalmøtet?"
            ),
            shared_with_leader=True,
            link_kind=LinkKind.OFFERING,
            link_title="Demensomsorgens ABC",
        ),
        Reflection(
            author=ingrid,
            tenant=fjordvik,
            unit=home,
            prompt="colleague",
            body="Amir viste meg en enklere måte å dokumentere væskebalanse på.",
            shared_group=guidance,
        ),
        Reflection(
            author=amir,
            tenant=fjordvik,
            unit=home,
            prompt="learned",
            body="Første gang jeg brukte det nye medisinrommet alene. Jeg var usikker på dobbeltkontrollen.",
        ),
        Reflection(
            author=sunniva,
            tenant=nordoy,
            unit=Organisation.objects.get(tenant=nordoy, slug="nordoy-omsorgssenter"),
            prompt="again",
            body="Neste gang ber jeg om hjelp tidligere når to beboere trenger meg samtidig.",
        ),
    ]
    Reflection.objects.bulk_create(reflections)

    FeedbackRequest.objects.create(
        requester=ingrid,
        giver=hilde,
        task="Ansvarsvakt i helgen",
        question="Hvordan fungerte fordelingen av oppgaver på morgenen?",
        answer="Tydelig fordeling og god oversikt. Neste gang: gi beskjed til kjøkkenet tidligere.",
        answered_at=now - dt.timedelta(days=3),
    )


def _load_passing_on(fjordvik: Organisation, nordoy: Organisation) -> None:
    """Mini-courses, job exchanges and a question: added after the groups exist."""
    from laeringsarena.community.models import (
        Answer,
        ExchangeAgreement,
        ExchangeKind,
        ExchangeMode,
        ExchangePosting,
        ExchangeStatus,
        MiniCourse,
        MiniCourseInvitation,
        MiniCourseStatus,
        Question,
    )
    from laeringsarena.organisations.models import Position

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    home = Organisation.objects.get(tenant=fjordvik, slug="fjordvik-sykehjem")
    home_care = Organisation.objects.get(tenant=fjordvik, slug="hjemmetjenesten-nord")
    ingrid = _person("ansatt@fjordvik.demo")
    amir = _person("ansatt2@fjordvik.demo")
    hilde = _person("leder@fjordvik.demo")
    kjell = _person("leder@nordoy.demo")
    regional = Group.objects.get(tenant=fjordvik, name=REGIONAL)
    guidance = Group.objects.get(tenant=fjordvik, name=GUIDANCE)

    held = MiniCourse.objects.create(
        host=amir,
        tenant=fjordvik,
        unit=home,
        title="Det viktigste fra kurset i palliasjon",
        summary="Tre ting jeg tok med meg fra kurset – og hvordan vi kan bruke dem på avdelingen.",
        starts_at=now - dt.timedelta(days=10),
        duration_minutes=30,
        location="Vaktrommet",
        status=MiniCourseStatus.HELD,
        link_kind=LinkKind.OFFERING,
        link_title="Palliasjon i sykehjem (grunnkurs)",
    )
    planned = MiniCourse.objects.create(
        host=ingrid,
        tenant=fjordvik,
        unit=home,
        title="Slik bruker vi den nye sengealarmen",
        starts_at=now + dt.timedelta(days=8),
        duration_minutes=20,
        location="Avdeling 1",
    )
    colleagues = [hilde, *_colleagues(home, {ingrid.pk, amir.pk, hilde.pk}, 3)]
    MiniCourseInvitation.objects.bulk_create(
        [
            MiniCourseInvitation(course=held, person=ingrid, attended_at=held.starts_at),
            *[
                MiniCourseInvitation(course=held, person=p, attended_at=held.starts_at if i < 2 else None)
                for i, p in enumerate(colleagues)
            ],
            *[MiniCourseInvitation(course=planned, person=p) for p in [amir, *colleagues]],
        ]
    )

    nurse = Position.objects.get(code="2223")
    leader_position = Position.objects.get(code="1349")
    home_care_person = _colleagues(home_care, set(), 1)
    offer = ExchangePosting.objects.create(
        author=hilde,
        tenant=fjordvik,
        unit=home,
        kind=ExchangeKind.OFFER,
        mode=ExchangeMode.SHADOWING,
        position=nurse,
        description="Hospiter hos sykepleierne på sykehjemmet i to dager: legemiddelhåndtering og stell.",
        days=2,
    )
    if home_care_person:
        wish = ExchangePosting.objects.create(
            author=home_care_person[0],
            tenant=fjordvik,
            unit=home_care,
            kind=ExchangeKind.WISH,
            mode=ExchangeMode.SHADOWING,
            position=nurse,
            description="Jeg vil se hvordan sykehjemmet følger opp beboere etter utskrivning.",
            days=2,
            status=ExchangeStatus.MATCHED,
        )
        ExchangeAgreement.objects.create(
            offer=offer,
            wish=wish,
            proposed_by=hilde,
            host_leader=hilde,
            host_agreed_at=now - dt.timedelta(days=4),
            home_agreed_at=now - dt.timedelta(days=2),
        )
        ExchangePosting.objects.filter(pk=offer.pk).update(status=ExchangeStatus.MATCHED)
    ExchangePosting.objects.create(
        author=kjell,
        tenant=nordoy,
        unit=Organisation.objects.get(tenant=nordoy, slug="nordoy-omsorgssenter"),
        kind=ExchangeKind.OFFER,
        mode=ExchangeMode.EXCHANGE,
        position=leader_position,
        description="Bytt plass med meg i tre dager: se hvordan en liten kommune organiserer heltidskultur.",
        days=3,
        network=regional,
    )
    ExchangePosting.objects.create(
        author=ingrid,
        tenant=fjordvik,
        unit=home,
        kind=ExchangeKind.WISH,
        mode=ExchangeMode.SHADOWING,
        position=nurse,
        description="Jeg tar sykepleierutdanning deltid og vil hospitere i hjemmetjenesten.",
        days=2,
    )

    question = Question.objects.create(
        group=guidance,
        asker=amir,
        title="Hvor finner jeg skjemaet for tvungen helsehjelp (kapittel 4A)?",
    )
    answer = Answer.objects.create(
        question=question,
        author=ingrid,
        body="I kvalitetssystemet under «Pasientrettigheter». Spør meg gjerne.",
    )
    Question.objects.filter(pk=question.pk).update(accepted=answer)


def _load_pass_it_on(fjordvik: Organisation) -> None:
    """An open "pass it on" invitation for the employee and a summary a colleague shared."""
    from laeringsarena.community.models import PassItOnInvitation, PassItOnStatus

    home = Organisation.objects.get(tenant=fjordvik, slug="fjordvik-sykehjem")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    PassItOnInvitation.objects.create(
        person=_person("ansatt@fjordvik.demo"),
        tenant=fjordvik,
        unit=home,
        title="Demensomsorgens ABC – perm 1",
    )
    PassItOnInvitation.objects.create(
        person=_person("ansatt2@fjordvik.demo"),
        tenant=fjordvik,
        unit=home,
        title="Velferdsteknologiens ABC",
        status=PassItOnStatus.SUMMARY,
        summary="Sensorer erstatter ikke tilsyn, men gir oss tid der det trengs. Avtal alltid med "
        "beboer og pårørende først, og skriv i tiltaksplanen hva alarmen skal utløse.",
        decided_at=now - dt.timedelta(days=3),
    )
