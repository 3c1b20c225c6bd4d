"""Demo data of the learning app: five Fjordvik paths with realistic progress, one in Nordøy.

* «Introduksjon for nyansatte» (introduksjon) — module, gathering, reflection.
* «Legemiddelhåndtering» — stepwise certification (theory certificate after the module, then a
  klarsignal), grants the competence app's «Legemiddelhåndtering» requirement, recertification.
* «Smittevern» — mandatory for Fjordvik sykehjem; a quiz with a free-text question.
* «Førstehjelp og HLR» — e-learning and a practical task signed off by the unit leader
  (klarsignal); grants «Førstehjelp og HLR» (12 months). People with lapsed HLR certificates
  (from the competence demo) are enrolled for recertification.
* «Digital kompetanse for ledere» — for the unit leaders.

Completions are written directly (bulk inserts, no xAPI traffic) so that ``load()`` stays fast.
Idempotent: nothing is added once the introduction path exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.competence.models import Certification, CertificationRequirement
from laeringsarena.learning import services
from laeringsarena.learning.certification import add_months
from laeringsarena.learning.models import (
    Attempt,
    Completion,
    CompletionSource,
    Enrolment,
    EnrolmentSource,
    LearningPath,
    Notice,
    NoticeKind,
    PathStatus,
    QuestionKind,
    Step,
    StepKind,
)
from laeringsarena.learning.services import PageSpec, QuestionSpec
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment

SEED = "laeringsarena-learning-1"
NURSING_HOME = "fjordvik-sykehjem"


def load() -> None:
    tenant = Organisation.objects.filter(slug="fjordvik", kind="municipality").first()
    if tenant is None or LearningPath.objects.filter(tenant=tenant, slug="introduksjon").exists():
        return
    hr = User.objects.filter(email="hr@fjordvik.demo").first()
    if hr is None:
        return
    with transaction.atomic():
        _fjordvik(tenant, hr)
        nordoy = Organisation.objects.filter(slug="nordoy", kind="municipality").first()
        admin = User.objects.filter(email="admin@laeringsarena.demo").first()
        if nordoy is not None and admin is not None:
            _nordoy(nordoy, admin)


def _module(
    user: Any, tenant: Organisation, title: str, pages: list[PageSpec], pass_mark: float = 0.8
) -> Any:
    return services.create_module(user, tenant, title=title, pages=pages, pass_mark=pass_mark)


def _publish(user: Any, path: LearningPath) -> LearningPath:
    return services.set_status(user, path, PathStatus.PUBLISHED)


def _person(email: str) -> Any:
    user = User.objects.filter(email=email).select_related("person").first()
    return user.person if user else None


def _fjordvik(tenant: Organisation, hr: Any) -> None:
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data
    now = timezone.now()
    today = timezone.localdate()
    home = Organisation.objects.get(tenant=tenant, slug=NURSING_HOME)
    leader = _person("leder@fjordvik.demo")
    employee = _person("ansatt@fjordvik.demo")
    employee2 = _person("ansatt2@fjordvik.demo")
    requirements = {r.name: r for r in CertificationRequirement.objects.filter(tenant=tenant).order_by("pk")}
    hlr_requirement = requirements.get("Førstehjelp og HLR")
    medicine_requirement = CertificationRequirement.objects.filter(
        tenant=tenant, name="Legemiddelhåndtering", position__code="5321"
    ).first()

    # Introduksjon for nyansatte
    intro = services.create_path(
        hr,
        tenant,
        title="Introduksjon for nyansatte",
        slug="introduksjon",
        description="Velkommen til Fjordvik kommune! Det du trenger de første ukene: verdier, "
        "taushetsplikt, HMS og avvik, og hvem du spør.",
        owner=_person("hr@fjordvik.demo"),
        default_due_days=60,
    )
    intro_module = _module(
        hr,
        tenant,
        "Velkommen til Fjordvik kommune",
        [
            PageSpec("Våre verdier", "Vi er åpne, modige og rause. Her er hva det betyr i hverdagen."),
            PageSpec(
                "Taushetsplikt",
                kind="video",
                body="Taushetsplikten gjelder alt du får vite om brukere og pasienter.",
                video_url="https://www.youtube.com/watch?v=taushetsplikt",
                video_caption="Fem minutter om taushetsplikt",
            ),
            PageSpec(
                "Sjekk deg selv",
                questions=[
                    QuestionSpec(
                        QuestionKind.TRUE_FALSE,
                        "Taushetsplikten gjelder også etter at du har sluttet.",
                        [],
                        [True],
                    ),
                    QuestionSpec(
                        QuestionKind.SINGLE,
                        "Hvor melder du et avvik?",
                        ["På e-post til HR", "I Læringsarena under «Meld avvik»", "Til en kollega"],
                        [1],
                    ),
                ],
            ),
        ],
    )
    intro_steps = [
        services.add_step(
            hr, intro, kind=StepKind.MODULE, title="Velkommen – e-læring", module=intro_module, gated=True
        ),
        services.add_step(
            hr,
            intro,
            kind=StepKind.GATHERING,
            title="Introduksjonsdag på rådhuset",
            starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=12), dt.time(9))),
            place="Fjordvik rådhus, bystyresalen",
        ),
        services.add_step(
            hr,
            intro,
            kind=StepKind.REFLECTION,
            title="Mine første uker",
            description="Hva har overrasket deg? Hva trenger du mer av?",
        ),
    ]
    _publish(hr, intro)

    # Legemiddelhåndtering – stepwise certification with recertification
    medicines = services.create_path(
        hr,
        tenant,
        title="Legemiddelhåndtering",
        slug="legemiddelhandtering",
        description="Teori, praksis under veiledning og klarsignal. Kreves for helsefagarbeidere "
        "som deler ut legemidler; fornyes hvert andre år.",
        grants_certification_id=medicine_requirement.pk if medicine_requirement else None,
        default_due_days=90,
        recertify_days_before=60,
    )
    medicine_module = _module(
        hr,
        tenant,
        "Legemiddelhåndtering – teori",
        [
            PageSpec("Forskriften", "Forskrift om legemiddelhåndtering § 4: ansvar og delegering."),
            PageSpec(
                "Test",
                questions=[
                    QuestionSpec(
                        QuestionKind.ORDERING,
                        "Sett trinnene ved utdeling i riktig rekkefølge",
                        [
                            "Kontroller identitet",
                            "Kontroller legemiddel mot liste",
                            "Gi legemidlet",
                            "Dokumenter",
                        ],
                        [],
                    ),
                    QuestionSpec(
                        QuestionKind.MULTIPLE,
                        "Hva skal kontrolleres før utdeling?",
                        ["Navn og fødselsdato", "Preparat og styrke", "Pasientens humør", "Tidspunkt"],
                        [0, 1, 3],
                    ),
                ],
            ),
        ],
    )
    medicine_steps = [
        services.add_step(
            hr,
            medicines,
            kind=StepKind.MODULE,
            title="Teori og test",
            module=medicine_module,
            gated=True,
            certificate_name="Legemiddelhåndtering trinn 1 – teori",
        ),
        services.add_step(
            hr,
            medicines,
            kind=StepKind.PRACTICAL,
            title="Utdeling under veiledning (klarsignal)",
            description="Del ut legemidler på tre vakter sammen med sykepleier. Veilederen gir klarsignal.",
        ),
    ]
    _publish(hr, medicines)

    # Smittevern – mandatory for the nursing home, with free text graded by the leader
    infection = services.create_path(
        hr,
        tenant,
        title="Smittevern i helse og omsorg",
        slug="smittevern",
        description="Basale smittevernrutiner, håndhygiene og bruk av utstyr.",
        unit=home,
        owner=leader,
        default_due_days=30,
    )
    infection_module = _module(
        hr,
        tenant,
        "Basale smittevernrutiner",
        [
            PageSpec("Smittekjeden", "Smitte trenger kilde, smittevei og mottakelig vert. Bryt kjeden!"),
            PageSpec(
                "Quiz",
                questions=[
                    QuestionSpec(
                        QuestionKind.SINGLE,
                        "Hvor lenge bør du vaske hendene?",
                        ["5 sek", "30 sek", "5 min"],
                        [1],
                    ),
                    QuestionSpec(QuestionKind.TRUE_FALSE, "Hansker erstatter håndhygiene.", [], [False]),
                    QuestionSpec(
                        QuestionKind.FREE_TEXT,
                        "Beskriv en situasjon fra jobben der smittekjeden kunne blitt brutt.",
                        [],
                        [],
                        points=2,
                        guidance="Full uttelling når både situasjon og tiltak er beskrevet.",
                    ),
                ],
            ),
        ],
        pass_mark=0.75,
    )
    infection_steps = [
        services.add_step(
            hr, infection, kind=StepKind.MODULE, title="E-læring: smittevern", module=infection_module
        ),
        services.add_step(hr, infection, kind=StepKind.GROUP_WORK, title="Gjennomgang på personalmøtet"),
    ]
    _publish(hr, infection)

    # Førstehjelp og HLR – with a klarsignal from the unit leader
    hlr = services.create_path(
        hr,
        tenant,
        title="Førstehjelp og HLR",
        slug="hlr",
        description="Hjerte-lunge-redning for voksne. Årlig oppfriskning.",
        grants_certification_id=hlr_requirement.pk if hlr_requirement else None,
        default_due_days=30,
        recertify_days_before=45,
    )
    hlr_module = _module(
        hr,
        tenant,
        "HLR – teori",
        [
            PageSpec("Kjeden som redder liv", "Ring 113, start HLR 30:2, hent hjertestarter."),
            PageSpec(
                "Test",
                questions=[
                    QuestionSpec(
                        QuestionKind.SINGLE,
                        "Forholdet kompresjoner:innblåsninger?",
                        ["15:2", "30:2", "5:1"],
                        [1],
                    ),
                ],
            ),
        ],
    )
    hlr_steps = [
        services.add_step(hr, hlr, kind=StepKind.MODULE, title="HLR – teori", module=hlr_module, gated=True),
        services.add_step(
            hr,
            hlr,
            kind=StepKind.PRACTICAL,
            title="Praktisk HLR på dukke",
            description="Vis HLR på dukke i to minutter med riktig dybde og frekvens.",
            supervisor=leader,
        ),
    ]
    _publish(hr, hlr)

    # Digital kompetanse for ledere
    digital = services.create_path(
        hr,
        tenant,
        title="Digital kompetanse for ledere",
        slug="digital-kompetanse-ledere",
        description="Å lede digital omstilling: velferdsteknologi, data og personvern (DigComp).",
        default_due_days=120,
    )
    digital_steps = [
        services.add_step(
            hr,
            digital,
            kind=StepKind.WEBINAR,
            title="Webinar: Å lede digital omstilling",
            starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=20), dt.time(13))),
            url="https://webinar.example.org/digital-ledelse",
        ),
        services.add_step(
            hr, digital, kind=StepKind.GROUP_WORK, title="Lederforum: egen digitaliseringsplan"
        ),
        services.add_step(hr, digital, kind=StepKind.REFLECTION, title="Hva betyr dette for min enhet?"),
    ]
    _publish(hr, digital)

    # --- Enrolments and progress (bulk) --------------------------------------------------------
    staff = list(
        Employment.objects.active(today)
        .filter(unit__path__startswith=home.path)
        .order_by("person_id")
        .values_list("person_id", "position__code")
        .distinct()
    )
    enrolments: list[Enrolment] = []
    plan: list[tuple[Enrolment, list[Step], int, dt.datetime]] = []  # steps done, when

    def enrol(
        person_id: int,
        path: LearningPath,
        steps: list[Step],
        done: int,
        *,
        source: str,
        mandatory: bool,
        due_in: int,
        started_days_ago: int,
    ) -> Enrolment:
        enrolled_at = now - dt.timedelta(days=started_days_ago)
        enrolment = Enrolment(
            person_id=person_id,
            path=path,
            source=source,
            mandatory=mandatory,
            due_on=today + dt.timedelta(days=due_in),
            enrolled_at=enrolled_at,
            unit=home if source == EnrolmentSource.UNIT else None,
        )
        enrolments.append(enrolment)
        plan.append((enrolment, steps, done, enrolled_at))
        return enrolment

    fixed = {p.pk for p in (employee, employee2, leader) if p is not None}
    for person_id, code in staff:
        if person_id in fixed:
            continue
        roll = rng.random()
        done = 2 if roll < 0.6 else 1 if roll < 0.8 else 0
        enrol(
            person_id,
            infection,
            infection_steps,
            done,
            source=EnrolmentSource.UNIT,
            mandatory=True,
            due_in=rng.choice((-10, -3, 5, 14)),
            started_days_ago=40,
        )
        if code in ("5321", "2223") and rng.random() < 0.4:
            enrol(
                person_id,
                medicines,
                medicine_steps,
                rng.choice((0, 1, 2)),
                source=EnrolmentSource.PERSON,
                mandatory=True,
                due_in=rng.choice((-5, 20, 60)),
                started_days_ago=60,
            )
    if employee is not None:
        enrol(
            employee.pk,
            infection,
            infection_steps,
            0,
            source=EnrolmentSource.UNIT,
            mandatory=True,
            due_in=9,
            started_days_ago=20,
        )
        enrol(
            employee.pk,
            hlr,
            hlr_steps,
            1,
            source=EnrolmentSource.REQUIREMENT,
            mandatory=True,
            due_in=21,
            started_days_ago=10,
        )
        enrol(
            employee.pk,
            intro,
            intro_steps,
            3,
            source=EnrolmentSource.PERSON,
            mandatory=False,
            due_in=-300,
            started_days_ago=400,
        )
    if employee2 is not None:
        enrol(
            employee2.pk,
            intro,
            intro_steps,
            1,
            source=EnrolmentSource.PERSON,
            mandatory=True,
            due_in=25,
            started_days_ago=14,
        )
        enrol(
            employee2.pk,
            medicines,
            medicine_steps,
            1,
            source=EnrolmentSource.PERSON,
            mandatory=True,
            due_in=-4,
            started_days_ago=70,
        )
    for code in ("leder@fjordvik.demo", "kommunalsjef@fjordvik.demo"):
        person = _person(code)
        if person is not None:
            enrol(
                person.pk,
                digital,
                digital_steps,
                1 if code.startswith("leder") else 3,
                source=EnrolmentSource.POSITION,
                mandatory=False,
                due_in=100,
                started_days_ago=30,
            )
    # People whose HLR certificate has lapsed or lapses soon are up for recertification.
    if hlr_requirement is not None:
        newest: dict[int, Certification] = {}
        home_people = {pid for pid, _code in staff} - fixed
        for cert in Certification.objects.filter(
            requirement=hlr_requirement, person_id__in=home_people
        ).order_by("issued_on"):
            newest[cert.person_id] = cert
        for person_id, cert in sorted(newest.items()):
            if cert.expires_on and cert.expires_on <= today + dt.timedelta(days=45):
                enrol(
                    person_id,
                    hlr,
                    hlr_steps,
                    rng.choice((0, 0, 1, 2)),
                    source=EnrolmentSource.RECERTIFICATION,
                    mandatory=True,
                    due_in=max((cert.expires_on - today).days, -20),
                    started_days_ago=30,
                )
    Enrolment.objects.bulk_create(enrolments)

    completions: list[Completion] = []
    certificates: list[tuple[Completion, Certification]] = []
    finished: list[Enrolment] = []
    for enrolment, steps, done, enrolled_at in plan:
        moment = enrolled_at
        for step in steps[:done]:
            moment = min(
                now - dt.timedelta(hours=1),
                moment + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8)),
            )
            source = {
                StepKind.MODULE: CompletionSource.STATEMENT,
                StepKind.PRACTICAL: CompletionSource.SIGN_OFF,
                StepKind.REFLECTION: CompletionSource.REFLECTION,
            }.get(StepKind(step.kind), CompletionSource.ATTENDANCE)
            score = round(rng.uniform(0.75, 1.0), 2) if step.kind == StepKind.MODULE else None
            completions.append(
                Completion(
                    person_id=enrolment.person_id,
                    enrolment=enrolment,
                    path=enrolment.path,
                    step=step,
                    completed_at=moment,
                    source=source,
                    score=score,
                    success=True if score is not None else None,
                    note="Jeg ble tryggere på rutinene etter dette."
                    if step.kind == StepKind.REFLECTION
                    else "",
                )
            )
        if done == len(steps):
            enrolment.completed_at = moment
            finished.append(enrolment)
            path_completion = Completion(
                person_id=enrolment.person_id,
                enrolment=enrolment,
                path=enrolment.path,
                completed_at=moment,
                source=CompletionSource.PATH,
                success=True,
                score=round(rng.uniform(0.8, 1.0), 2) if enrolment.path.pk != digital.pk else None,
            )
            completions.append(path_completion)
            requirement = enrolment.path.grants_certification
            if requirement is not None:
                issued = timezone.localtime(moment).date()
                certificates.append(
                    (
                        path_completion,
                        Certification(
                            person_id=enrolment.person_id,
                            name=requirement.name,
                            issuer=tenant.name,
                            issued_on=issued,
                            expires_on=add_months(issued, requirement.validity_months)
                            if requirement.validity_months
                            else None,
                            requirement=requirement,
                        ),
                    )
                )
    Certification.objects.bulk_create([c for _completion, c in certificates])
    for completion, certificate in certificates:
        completion.certification = certificate
    Completion.objects.bulk_create(completions)
    Enrolment.objects.bulk_update(finished, ["completed_at"])

    # The employee is half-way through the Smittevern module on her phone.
    if employee is not None:
        Notice.objects.create(
            person=employee,
            key=f"enrolled:hlr:{hlr.pk}",
            kind=NoticeKind.ENROLLED,
            title="Førstehjelp og HLR",
            body="Du er meldt på «Førstehjelp og HLR». Sertifikatet ditt må fornyes.",
            url=f"/laering/stier/{hlr.pk}/",
            created_at=now - dt.timedelta(days=10),
        )
        enrolment = next(e for e in enrolments if e.person_id == employee.pk and e.path_id == infection.pk)
        import uuid

        Attempt.objects.create(
            enrolment=enrolment,
            step=infection_steps[0],
            registration=uuid.UUID(int=rng.getrandbits(128), version=4),
            started_at=now - dt.timedelta(minutes=12),
        )

    # A night-shift cohort (kull) with its own time for the group work, between shifts.
    cohort = services.create_cohort(
        hr,
        infection,
        name="Nattevakter – smittevern",
        starts_on=today,
        due_on=today + dt.timedelta(days=30),
        unit=home,
        sessions=[
            (
                infection_steps[-1],
                timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=9), dt.time(7, 45))),
                timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=9), dt.time(8, 30))),
                "Vaktrommet, Fjordvik sykehjem",
            )
        ],
    )
    if employee2 is not None:
        services.enrol_cohort(hr, cohort, [employee2], now=now)


def _nordoy(tenant: Organisation, admin: Any) -> None:
    path = services.create_path(
        admin,
        tenant,
        title="Introduksjon for nyansatte i Nordøy",
        slug="introduksjon",
        description="Det du trenger å vite de første ukene i Nordøy kommune.",
    )
    services.add_step(
        admin, path, kind=StepKind.REFLECTION, title="Mine første uker", description="Hva trenger du mer av?"
    )
    _publish(admin, path)
    person = _person("ansatt@nordoy.demo")
    if person is not None:
        Enrolment.objects.create(
            person=person,
            path=path,
            source=EnrolmentSource.PERSON,
            mandatory=True,
            due_on=timezone.localdate() + dt.timedelta(days=30),
            enrolled_at=timezone.now(),
        )
