"""Demo data for plans (runs after competence and catalogue).

Development plans with progress for the two demo employees and a few colleagues, course
requests in every state with their history, a held development talk, a competence plan for
Fjordvik sykehjem and one for the helse og omsorg sector with measures, budget, årshjul,
a union representative's comment and sign-offs, and a career ladder for helsefagarbeidere.
Idempotent: nothing is added when the sykehjem plan exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.competence.models import Competence
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment
from laeringsarena.plans.models import (
    CareerLadder,
    CompetencePlan,
    CourseRequest,
    CycleEvent,
    CycleKind,
    DevelopmentPlan,
    DevelopmentTalk,
    ItemKind,
    ItemStatus,
    LadderStep,
    Measure,
    Milestone,
    PlanComment,
    PlanItem,
    RequestEvent,
    RequestStatus,
    SignOff,
    StepCriterion,
    TalkStatus,
)

PLAN_TITLE = "Kompetanseplan Fjordvik sykehjem"


def _person(email: str) -> int | None:
    user = User.objects.filter(email=email).first()
    return user.person_id if user else None


def load() -> None:
    tenant = Organisation.objects.filter(slug="fjordvik", kind="municipality").first()
    if (
        tenant is None
        or CompetencePlan.objects.filter(organisation__tenant=tenant, title__startswith=PLAN_TITLE).exists()
    ):
        return
    with transaction.atomic():
        _load(tenant)


def _offerings() -> list[Any]:
    try:
        from laeringsarena.catalogue.models import Offering
    except ImportError:  # pragma: no cover - the catalogue app is always installed
        return []
    return list(Offering.objects.filter(status="published").order_by("pk")[:4])


def _load(tenant: Organisation) -> None:
    today = timezone.localdate()
    home = Organisation.objects.get(tenant=tenant, slug="fjordvik-sykehjem")
    sector = Organisation.objects.get(tenant=tenant, slug="helse-og-omsorg")
    c = {
        x.code: x
        for x in Competence.objects.filter(framework__slug="helse-og-omsorg", framework__owner__isnull=True)
    }
    offerings = _offerings()
    employee, employee2 = _person("ansatt@fjordvik.demo"), _person("ansatt2@fjordvik.demo")
    leader, union = _person("leder@fjordvik.demo"), _person("tillitsvalgt@fjordvik.demo")
    hr = _person("hr@fjordvik.demo")

    # --- Development plans -----------------------------------------------------------------------
    if employee:
        plan = DevelopmentPlan.objects.create(person_id=employee)
        first = PlanItem.objects.create(
            plan=plan,
            kind=ItemKind.OFFERING,
            title="Legemiddelhåndtering – oppfriskning",
            goal="Trygg på utdeling og dokumentasjon av legemidler, også på natt.",
            competence=c["PS1"],
            target_level=3,
            due_on=today + dt.timedelta(days=45),
            status=ItemStatus.IN_PROGRESS,
            progress=60,
            offering=offerings[0] if offerings else None,
            created_by_id=leader,
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    item=first,
                    title="E-læringsmodul fullført",
                    due_on=today - dt.timedelta(days=10),
                    done_on=today - dt.timedelta(days=12),
                ),
                Milestone(
                    item=first,
                    title="Praktisk prøve med sykepleier (klarsignal)",
                    due_on=today + dt.timedelta(days=40),
                ),
            ]
        )
        PlanItem.objects.create(
            plan=plan,
            kind=ItemKind.MENTORING,
            title="Veiledning i demensomsorg med ressurssykepleier",
            goal="Bruke miljøbehandling i hverdagen på skjermet avdeling.",
            competence=c["FP1"],
            target_level=3,
            due_on=today + dt.timedelta(days=120),
            status=ItemStatus.PLANNED,
            created_by_id=leader,
        )
        PlanItem.objects.create(
            plan=plan,
            kind=ItemKind.JOB_EXCHANGE,
            title="Hospitering i hjemmetjenesten to vakter",
            goal="Se hvordan velferdsteknologi brukes hjemme hos brukerne.",
            competence=c["TK1"],
            status=ItemStatus.WISH,
            wished_by_employee=True,
            created_by_id=employee,
        )
        PlanItem.objects.create(
            plan=plan,
            kind=ItemKind.ON_THE_JOB,
            title="Forflytningsveileder på avdelingen",
            goal="Gå opplæringen og vise nye kolleger bruk av takheis.",
            competence=c["FP3"],
            due_on=today - dt.timedelta(days=30),
            status=ItemStatus.DONE,
            progress=100,
            created_by_id=leader,
        )
    if employee2:
        plan2 = DevelopmentPlan.objects.create(person_id=employee2)
        PlanItem.objects.create(
            plan=plan2,
            kind=ItemKind.NETWORK,
            title="Fagnettverk for velferdsteknologi",
            competence=c["TK1"],
            status=ItemStatus.IN_PROGRESS,
            progress=25,
            due_on=today + dt.timedelta(days=200),
            created_by_id=leader,
        )
        PlanItem.objects.create(
            plan=plan2,
            kind=ItemKind.LEARNING_PATH,
            title="Smittevern i sykehjem – læringsløp",
            competence=c["PS2"],
            status=ItemStatus.PLANNED,
            due_on=today + dt.timedelta(days=60),
            created_by_id=leader,
        )

    # --- Course requests in every state ------------------------------------------------------------
    colleagues = list(
        Employment.objects.active(today)
        .filter(unit__path__startswith=home.path)
        .exclude(person_id__in=[p for p in (employee, employee2, leader) if p])
        .order_by("person_id")
        .values_list("person_id", flat=True)[:4]
    )
    applicants = [p for p in (employee, employee2, *colleagues) if p]
    specs = [
        (
            RequestStatus.SUBMITTED,
            "Videreutdanning i palliasjon (30 studiepoeng)",
            "Vi har mange i livets sluttfase på korttid.",
        ),
        (RequestStatus.APPROVED, "Kurs i sårbehandling", "Flere brukere med trykksår."),
        (RequestStatus.REJECTED, "Lederutdanning for helsefagarbeidere", "Vil bli teamleder."),
        (RequestStatus.ENROLLED, "HLR-instruktørkurs", "Kan holde HLR-trening for avdelingen."),
        (RequestStatus.WITHDRAWN, "Kurs i arbeidsnorsk", "Bedre muntlig rapport."),
        (RequestStatus.SUBMITTED, "Velferdsteknologiens ABC", "Vi får nye sensorer i høst."),
    ]
    for index, (status, title, motivation) in enumerate(specs):
        if not applicants:
            break
        person_id = applicants[index % len(applicants)]
        created = timezone.now() - dt.timedelta(days=30 - 4 * index)
        offering = offerings[index % len(offerings)] if offerings and index % 2 else None
        request = CourseRequest.objects.create(
            person_id=person_id,
            unit=home,
            title=title,
            motivation=motivation,
            status=status,
            offering=offering,
            decided_by_id=leader
            if status in (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.ENROLLED)
            else None,
            decided_at=created + dt.timedelta(days=3)
            if status in (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.ENROLLED)
            else None,
            decision_reason={
                RequestStatus.REJECTED: "Ikke i år: budsjettet går til legemiddelopplæring. "
                "Tas opp igjen i medarbeidersamtalen.",
                RequestStatus.APPROVED: "Godkjent, passer med kompetanseplanen.",
                RequestStatus.ENROLLED: "Godkjent.",
            }.get(status, ""),
            time_off_hours=Decimal("15")
            if status in (RequestStatus.APPROVED, RequestStatus.ENROLLED)
            else None,
            cover="Vikar fra bemanningssenteret"
            if status in (RequestStatus.APPROVED, RequestStatus.ENROLLED)
            else "",
            cost_nok=Decimal("4500") if status in (RequestStatus.APPROVED, RequestStatus.ENROLLED) else None,
        )
        CourseRequest.objects.filter(pk=request.pk).update(created_at=created)
        history: list[tuple[str, int | None, str]] = [(RequestStatus.SUBMITTED, person_id, motivation)]
        if status in (RequestStatus.APPROVED, RequestStatus.ENROLLED, RequestStatus.REJECTED):
            history.append(
                (
                    RequestStatus.REJECTED if status == RequestStatus.REJECTED else RequestStatus.APPROVED,
                    leader,
                    request.decision_reason,
                )
            )
        if status == RequestStatus.ENROLLED:
            history.append((RequestStatus.ENROLLED, leader, ""))
        if status == RequestStatus.WITHDRAWN:
            history.append((RequestStatus.WITHDRAWN, person_id, ""))
        RequestEvent.objects.bulk_create(
            RequestEvent(request=request, status=s, actor_id=a, note=n) for s, a, n in history
        )

    # --- A held development talk -------------------------------------------------------------------------
    if employee and leader:
        DevelopmentTalk.objects.create(
            person_id=employee,
            leader_id=leader,
            unit=home,
            scheduled_on=today - dt.timedelta(days=20),
            status=TalkStatus.HELD,
            employee_preparation={
                "competence": "Jeg vil bli tryggere på legemidler på natt, og lære mer om demens.",
                "work": "Travle morgener, men godt samarbeid.",
            },
            leader_preparation={"competence": "Foreslår veiledning med ressurssykepleier i demensomsorg."},
            agreed_actions="Oppfriskning i legemiddelhåndtering innen to måneder. "
            "Veiledning i demensomsorg fra høsten.",
            leader_confirmed_at=timezone.now() - dt.timedelta(days=19),
        )

    # --- Competence plans --------------------------------------------------------------------------------
    year = today.year
    unit_plan = CompetencePlan.objects.create(
        organisation=home,
        title=f"{PLAN_TITLE} {year}–{year + 1}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year + 1, 12, 31),
        strategy="Kommuneplanens mål «trygge tjenester hele døgnet»: alle som deler ut legemidler har gyldig "
        "opplæring, og skjermet avdeling har egen kompetanse i demensomsorg.",
        budget_nok=Decimal("180000"),
        budget_hours=Decimal("900"),
    )
    Measure.objects.bulk_create(
        [
            Measure(
                plan=unit_plan,
                title="Legemiddelopplæring for alle helsefagarbeidere",
                competence=c["PS1"],
                priority=1,
                responsible="Fagsykepleier",
                milestone="Alle har bestått prøve",
                due_on=dt.date(year, 10, 1),
                planned_nok=Decimal("40000"),
                spent_nok=Decimal("28500"),
                planned_hours=Decimal("300"),
                spent_hours=Decimal("210"),
            ),
            Measure(
                plan=unit_plan,
                title="Demensomsorgens ABC for skjermet avdeling",
                competence=c["FP1"],
                priority=1,
                responsible="Avdelingsleder avdeling 1",
                milestone="To refleksjonsgrupper i gang",
                due_on=dt.date(year, 12, 1),
                planned_nok=Decimal("30000"),
                spent_nok=Decimal("12000"),
                planned_hours=Decimal("260"),
                spent_hours=Decimal("90"),
            ),
            Measure(
                plan=unit_plan,
                title="HLR-trening hver 12. måned",
                competence=c["FP2"],
                priority=2,
                responsible="HLR-instruktør",
                milestone="Alle sertifisert",
                due_on=dt.date(year, 11, 15),
                planned_nok=Decimal("10000"),
                spent_nok=Decimal("10000"),
                planned_hours=Decimal("120"),
                spent_hours=Decimal("120"),
                done=True,
            ),
            Measure(
                plan=unit_plan,
                title="Velferdsteknologi: sensorer og digitalt tilsyn",
                competence=c["TK1"],
                priority=3,
                responsible="Velferdsteknologikoordinator",
                milestone="Superbrukere på hver avdeling",
                due_on=dt.date(year + 1, 3, 1),
                planned_nok=Decimal("60000"),
                planned_hours=Decimal("150"),
            ),
        ]
    )
    CycleEvent.objects.bulk_create(
        [
            CycleEvent(
                plan=unit_plan,
                kind=CycleKind.CAMPAIGN,
                title="Kompetansekartlegging",
                starts_on=dt.date(year, 2, 1),
                ends_on=dt.date(year, 2, 28),
            ),
            CycleEvent(
                plan=unit_plan,
                kind=CycleKind.TALKS,
                title="Medarbeidersamtaler",
                starts_on=dt.date(year, 3, 1),
                ends_on=dt.date(year, 4, 30),
            ),
            CycleEvent(
                plan=unit_plan,
                kind=CycleKind.REVISION,
                title="Revisjon av kompetanseplanen med tillitsvalgte",
                starts_on=dt.date(year, 9, 15),
            ),
            CycleEvent(
                plan=unit_plan,
                kind=CycleKind.BUDGET,
                title="Budsjettinnspill opplæring",
                starts_on=dt.date(year, 10, 1),
            ),
        ]
    )
    if union:
        PlanComment.objects.create(
            plan=unit_plan,
            author_id=union,
            role="union_representative",
            text="Deltidsansatte og nattevakter må få opplæringen i arbeidstiden. "
            "Ellers enig i prioriteringene.",
        )
        SignOff.objects.create(plan=unit_plan, person_id=union, role="union_representative")
    if leader:
        SignOff.objects.create(plan=unit_plan, person_id=leader, role="leader")
    sector_plan = CompetencePlan.objects.create(
        organisation=sector,
        title=f"Strategisk kompetanseplan helse og omsorg {year}–{year + 3}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year + 3, 12, 31),
        strategy="Rekruttere og beholde: flere heltidsstillinger, fagbrev for assistenter, "
        "videreutdanning for sykepleiere.",
        budget_nok=Decimal("1200000"),
        budget_hours=Decimal("5000"),
    )
    Measure.objects.create(
        plan=sector_plan,
        title="Fagbrev på jobb for 15 assistenter",
        priority=1,
        responsible="HR",
        planned_nok=Decimal("450000"),
        spent_nok=Decimal("120000"),
        planned_hours=Decimal("2000"),
        spent_hours=Decimal("600"),
    )
    CycleEvent.objects.create(
        plan=sector_plan,
        kind=CycleKind.REVISION,
        title="Rullering av strategisk plan",
        starts_on=dt.date(year, 11, 1),
    )
    if hr:
        SignOff.objects.create(plan=sector_plan, person_id=hr, role="hr")

    # --- Career ladder ----------------------------------------------------------------------------------
    ladder = CareerLadder.objects.create(
        tenant=tenant,
        name="Fagstige for helsefagarbeidere",
        description="Fra nyutdannet til fagansvarlig: trinnene bygger på "
        "kompetanserammeverket for helse og omsorg.",
    )
    steps = [
        (1, "Helsefagarbeider", {"PS1": 2, "PS2": 2, "FP2": 2}),
        (2, "Erfaren helsefagarbeider", {"PS1": 3, "PS2": 3, "FP2": 3, "PS3": 3}),
        (3, "Ressursperson", {"PS1": 3, "FP1": 4, "LS2": 3}),
        (4, "Fagansvarlig helsefagarbeider", {"PS1": 4, "FP1": 4, "LS2": 4, "LS3": 3}),
    ]
    for order, title, criteria in steps:
        step = LadderStep.objects.create(ladder=ladder, order=order, title=title)
        StepCriterion.objects.bulk_create(
            StepCriterion(step=step, competence=c[code], level=lv) for code, lv in criteria.items()
        )
