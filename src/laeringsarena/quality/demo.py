"""Demo data: a year of deviations in Fjordvik's care units, and procedures with read confirmations.

Seasonal patterns: falls peak in the icy winter months, medication and HMS deviations in the
summer holidays (many temporary staff). Medication deviations at Fjordvik sykehjem fall after
the improvement case «Dobbeltkontroll ved legemiddelutdeling» started six months ago.
Deterministic (fixed seed, dates relative to today), idempotent, bulk inserts only.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from fpdf import FPDF
from PIL import Image, ImageDraw

from laeringsarena.accounts.models import User
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person
from laeringsarena.quality import attachments, services
from laeringsarena.quality.models import (
    AgendaItem,
    Deviation,
    DeviationAttachment,
    DeviationCategory,
    DeviationEvent,
    Document,
    DocumentAttachment,
    DocumentState,
    DocumentVersion,
    Folder,
    ImprovementCase,
    ReadConfirmation,
    Severity,
    State,
)

SEED = "laeringsarena-quality-1"
CARE_UNITS = {
    "fjordvik-sykehjem": 1.0,
    "sykehjem-avdeling-1": 1.3,
    "sykehjem-avdeling-2": 1.1,
    "solbakken": 1.5,
    "hjemmetjenesten-nord": 1.0,
    "hjemmetjenesten-sor": 0.9,
    "psykisk-helse-og-rus": 0.5,
}
IMPROVED_UNITS = {"fjordvik-sykehjem", "sykehjem-avdeling-1", "sykehjem-avdeling-2"}
# Deviations per unit and month for weight 1.0, by category, and the seasonal factor by month.
BASE_RATE = {
    "tjenesteutforelse": 0.8,
    "legemidler": 1.0,
    "fall-brukerskade": 0.7,
    "hms-arbeidsmiljo": 0.35,
    "informasjonssikkerhet-personvern": 0.15,
    "brann-beredskap": 0.08,
    "annet": 0.2,
}
SEASON = {
    "fall-brukerskade": {12: 1.8, 1: 2.0, 2: 1.7, 3: 1.2, 11: 1.3},
    "legemidler": {6: 1.5, 7: 1.9, 8: 1.4, 12: 1.2},
    "hms-arbeidsmiljo": {6: 1.4, 7: 1.8, 8: 1.3, 1: 1.2},
}
TEXTS = {
    "tjenesteutforelse": [
        ("Planlagt dusj ble ikke gitt fordi vakten var underbemannet.", "Beboer fikk tilbud dagen etter."),
        ("Tilsyn kl. 02 ble ikke dokumentert.", "Tok tilsyn og dokumenterte kl. 03."),
        ("Bruker fikk ikke middag levert til avtalt tid.", "Ringte kjøkkenet, mat kom en time senere."),
        (
            "Rapport ved vaktskifte manglet opplysninger om ny sårbehandling.",
            "Ringte sykepleier på forrige vakt.",
        ),
        ("Hjemmebesøk ble glemt i kjørelisten.", "Besøket ble tatt på kveldsvakt."),
    ],
    "legemidler": [
        (
            "Kveldsmedisin ble ikke gitt; dosett sto igjen i medisinrommet.",
            "Kontaktet lege, medisin gitt kl. 23.",
        ),
        ("Feil dosett ble gitt til beboer på rom 12.", "Lege kontaktet, observert gjennom natten."),
        ("Multidose manglet fra apoteket.", "Hentet fra akuttlager etter avtale med sykepleier."),
        ("Signering på utdelingslisten mangler for morgendosen.", "Avklart med kollega at medisin var gitt."),
        ("Smerteplaster ble ikke byttet til riktig dag.", "Byttet plaster og ga beskjed til lege."),
    ],
    "fall-brukerskade": [
        ("Beboer falt på badet om natten, fikk et kutt i pannen.", "Førstehjelp, lege tilsett neste morgen."),
        (
            "Bruker skled på isen utenfor inngangen ved hjemmebesøk.",
            "Hjalp bruker opp, ingen synlige skader.",
        ),
        ("Beboer ble funnet på gulvet ved sengen.", "Vurdert av sykepleier, sengehest-vurdering bestilt."),
        ("Hudrift på underarm ved forflytning.", "Stelt sår og dokumentert."),
    ],
    "hms-arbeidsmiljo": [
        ("Alene på vakt med to beboere som trenger to til forflytning.", "Ringte inn ekstravakt."),
        ("Truende atferd fra pårørende i gangen.", "Avsluttet samtalen, varslet leder."),
        ("Løfteheisen på avdelingen har vært ute av drift i tre dager.", "Lånte heis fra avdeling 2."),
        ("Stikkskade ved insulininjeksjon.", "Fulgte rutine for stikkskader, tok blodprøve."),
    ],
    "informasjonssikkerhet-personvern": [
        ("Pasientliste ble liggende åpent på vaktrommet.", "Makulert listen."),
        ("E-post med helseopplysninger sendt til feil mottaker.", "Ba mottaker slette e-posten."),
    ],
    "brann-beredskap": [
        ("Brannalarm gikk på grunn av matlaging; døren var blokkert av tralle.", "Fjernet trallen."),
        ("Nødlys i trappeoppgang virker ikke.", "Meldt til vaktmester."),
    ],
    "annet": [
        ("Nøkkel til medisinrommet var borte ved vaktskifte.", "Fant nøkkel i lommen på arbeidstøy."),
        ("Bilen til hjemmetjenesten hadde ikke vinterdekk.", "Byttet bil med annen rute."),
    ],
}
PROCEDURES = (
    ("Legemiddelhåndtering", "Utdeling av legemidler med dobbeltkontroll", ("5321", "2223", "5329"), 0.75),
    ("Legemiddelhåndtering", "Håndtering av multidose fra apotek", ("2223",), 0.8),
    ("Pasientsikkerhet", "Forebygging av fall hos eldre", ("5321", "2223", "5329", "2264"), 0.6),
    ("Smittevern", "Basale smittevernrutiner", ("5321", "2223", "5329", "5322", "9112"), 0.7),
    ("HMS", "Rutine ved stikkskader og blodsøl", ("5321", "2223", "5329", "5322"), 0.5),
    ("Informasjonssikkerhet", "Taushetsplikt og bruk av e-post", (), 0.55),
)


def _month_start(day: dt.date, back: int) -> dt.date:
    year, month = day.year, day.month - back
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def load() -> None:
    tenant = Organisation.objects.filter(slug="fjordvik", kind=OrganisationKind.MUNICIPALITY).first()
    if tenant is None or Deviation.objects.filter(tenant=tenant).exists():
        return
    with transaction.atomic():
        _load(tenant)
    nordoy = Organisation.objects.filter(slug="nordoy", kind=OrganisationKind.MUNICIPALITY).first()
    if nordoy is not None:
        with transaction.atomic():
            _load_nordoy(nordoy)


def _staff(tenant: Organisation) -> dict[int, list[int]]:
    by_unit: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        Employment.objects.active().filter(organisation=tenant).values_list("unit_id", "person_id")
    ):
        by_unit[unit_id].append(person_id)
    return by_unit


def _load(tenant: Organisation) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    categories = {c.slug: c for c in services.ensure_categories(tenant)}
    units = {o.slug: o for o in Organisation.objects.filter(tenant=tenant, slug__in=list(CARE_UNITS))}
    staff = _staff(tenant)
    # The fixed demo logins report only the deviations made for them below.
    fixed = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    stab = Organisation.objects.get(tenant=tenant, slug="kommunedirektorens-stab")
    officer = (
        Person.objects.filter(employments__unit=stab, employments__position__code="2422")
        .exclude(email__in=["kvalitet@fjordvik.demo"])
        .order_by("pk")
        .first()
    )
    if officer is not None:
        DeviationCategory.objects.filter(pk=categories["informasjonssikkerhet-personvern"].pk).update(
            default_handler=officer
        )
    now = timezone.now()
    today = timezone.localdate()
    case_start = _month_start(today, 6)
    tz = timezone.get_current_timezone()
    rows: list[Deviation] = []
    for back in range(12, -1, -1):
        month_first = _month_start(today, back)
        days_in_month = ((month_first + dt.timedelta(days=32)).replace(day=1) - month_first).days
        for slug, weight in CARE_UNITS.items():
            unit = units[slug]
            for category_slug, rate in BASE_RATE.items():
                expected = rate * weight * SEASON.get(category_slug, {}).get(month_first.month, 1.0)
                if category_slug == "legemidler" and slug in IMPROVED_UNITS and month_first >= case_start:
                    expected *= 0.35
                count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
                for _ in range(count):
                    day = month_first + dt.timedelta(days=rng.randrange(days_in_month))
                    if day > today:
                        continue
                    occurred = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), tz)
                    if occurred > now:
                        occurred = now - dt.timedelta(hours=1)
                    what, action = rng.choice(TEXTS[category_slug])
                    anonymous = rng.random() < 0.08
                    people: list[int | None] = [p for p in staff.get(unit.pk, []) if p not in fixed] or [None]
                    reported = occurred + dt.timedelta(hours=rng.randrange(1, 20))
                    reported = min(reported, now)
                    age = (today - reported.date()).days
                    state = State.RECEIVED
                    closed_at = None
                    if age > 45 or (age > 10 and rng.random() < 0.7):
                        state = State.REJECTED if rng.random() < 0.05 else State.CLOSED
                        closed_at = reported + dt.timedelta(days=rng.randrange(2, min(age, 40) + 1))
                    elif age > 3:
                        state = rng.choice([State.UNDER_TREATMENT, State.MEASURES_DECIDED, State.RECEIVED])
                    category = categories[category_slug]
                    rows.append(
                        Deviation(
                            tenant=tenant,
                            unit=unit,
                            category=category,
                            severity=rng.choices(Severity.values, weights=[40, 40, 17, 3])[0],
                            what_happened=what,
                            occurred_at=occurred,
                            immediate_action=action,
                            reporter_id=None if anonymous else rng.choice(people),
                            anonymous=anonymous,
                            state=state,
                            deadline=reported.date() + dt.timedelta(days=category.deadline_days),
                            measures=_measures(category_slug) if state == State.CLOSED else "",
                            feedback=_measures(category_slug) if state == State.CLOSED else "",
                            rejection_reason="Ikke et avvik: rutinen ble fulgt."
                            if state == State.REJECTED
                            else "",
                            created_at=reported.replace(hour=0, minute=0) if anonymous else reported,
                            closed_at=closed_at,
                        )
                    )
    # One known deviation from the fixed employee login (used by the access test and the tour).
    employee = User.objects.filter(email="ansatt@fjordvik.demo").select_related("person").first()
    if employee is not None:
        rows.append(
            Deviation(
                tenant=tenant,
                unit=units["fjordvik-sykehjem"],
                category=categories["tjenesteutforelse"],
                severity=Severity.MEDIUM,
                what_happened="Rapporten ved vaktskifte manglet at beboer på rom 4 har ny ernæringsplan.",
                occurred_at=now - dt.timedelta(days=2, hours=3),
                immediate_action="Spurte sykepleier og fulgte planen fra frokost.",
                suggestion="Egen linje for endrede planer i rapportmalen.",
                reporter=employee.person,
                state=State.UNDER_TREATMENT,
                deadline=today + dt.timedelta(days=12),
                created_at=now - dt.timedelta(days=2),
            )
        )
    Deviation.objects.bulk_create(rows)
    saved = list(Deviation.objects.filter(tenant=tenant).order_by("pk"))
    events: list[DeviationEvent] = []
    for deviation in saved:
        events.append(
            DeviationEvent(
                deviation=deviation,
                kind=DeviationEvent.Kind.REPORTED,
                actor_id=deviation.reporter_id,
                to_state=State.RECEIVED,
                at=deviation.created_at,
            )
        )
        if deviation.state != State.RECEIVED:
            events.append(
                DeviationEvent(
                    deviation=deviation,
                    kind=DeviationEvent.Kind.TRANSITION,
                    from_state=State.RECEIVED,
                    to_state=deviation.state,
                    at=deviation.closed_at or deviation.created_at + dt.timedelta(days=1),
                )
            )
    DeviationEvent.objects.bulk_create(events)
    if employee is not None:
        mine = next(d for d in saved if d.reporter_id == employee.person_id)
        _photo(mine, "rapportmal.jpg", (214, 228, 240))
    leader = User.objects.filter(email="leder@fjordvik.demo").select_related("person").first()
    case = ImprovementCase.objects.create(
        unit=units["fjordvik-sykehjem"],
        category=categories["legemidler"],
        title="Dobbeltkontroll ved legemiddelutdeling",
        goal="Halvere legemiddelavvikene på sykehjemmet innen et halvt år.",
        measures="Dobbeltkontroll av dosetter ved kveldsutdeling; ny signeringsliste; e-læring for alle.",
        responsible=leader.person if leader else None,
        phase=ImprovementCase.Phase.CHECK,
        started_on=case_start,
        created_by=leader.person if leader else None,
    )
    cluster = [
        d
        for d in saved
        if d.category_id == categories["legemidler"].pk and d.unit_id == units["fjordvik-sykehjem"].pk
    ]
    case.deviations.set([d for d in cluster if d.created_at.date() < case_start][-5:])
    item = AgendaItem.objects.create(
        unit=units["fjordvik-sykehjem"],
        meeting_date=case_start - dt.timedelta(days=7),
        discussion_guide="Fem legemiddelavvik på kveldsvakt siden sist: hva har de felles, og hva gjør vi?",
        conclusion="Vi prøver dobbeltkontroll på kveldsutdelingen og åpner en forbedringssak.",
        created_by=leader.person if leader else None,
    )
    item.deviations.set([d for d in cluster if d.created_at.date() < case_start][-5:])
    _procedures(tenant, rng, leader.person if leader else None)


def _measures(category_slug: str) -> str:
    return {
        "legemidler": "Gjennomgått utdelingsrutinen på personalmøtet; dobbeltkontroll innført på kveldsvakt.",
        "fall-brukerskade": "Fallrisikovurdering oppdatert; sklisikre sokker og nattlys på rommet.",
        "hms-arbeidsmiljo": "Bemanningsplan justert; saken tatt opp i AMU.",
    }.get(category_slug, "Tatt opp med de involverte og rutinen er repetert på neste teammøte.")


def _procedures(tenant: Organisation, rng: random.Random, owner: Person | None) -> None:
    root = Folder.objects.create(tenant=tenant, name="Helse og omsorg")
    folders: dict[str, Folder] = {}
    now = timezone.now()
    positions = {p.code: p for p in Position.objects.all()}
    care_units = list(Organisation.objects.filter(tenant=tenant, slug__in=list(CARE_UNITS)))
    health = Organisation.objects.get(tenant=tenant, slug="helse-og-omsorg")
    versions: list[DocumentVersion] = []
    documents: list[tuple[Document, tuple[str, ...]]] = []
    codes: tuple[str, ...]
    for folder_name, title, codes, _share in PROCEDURES:
        folder = folders.get(folder_name) or Folder.objects.create(
            tenant=tenant, parent=root, name=folder_name
        )
        folders[folder_name] = folder
        published = now - dt.timedelta(days=rng.randrange(30, 500))
        document = Document.objects.create(
            tenant=tenant,
            folder=folder,
            title=title,
            owner=owner,
            state=DocumentState.PUBLISHED,
            next_review=(published + dt.timedelta(days=730)).date(),
        )
        documents.append((document, codes))
        versions.append(
            DocumentVersion(
                document=document,
                number=1,
                author=owner,
                approved_by=owner,
                published_at=published,
                change_note="Første versjon.",
                body=_body(title),
            )
        )
    DocumentVersion.objects.bulk_create(versions)
    confirmations: list[ReadConfirmation] = []
    employments = list(
        Employment.objects.active()
        .filter(organisation=tenant, unit__path__startswith=health.path)
        .values_list("person_id", "position__code")
        .distinct()
    )
    for (document, codes), version, spec in zip(documents, versions, PROCEDURES, strict=True):
        share = spec[3]
        published_at = version.published_at or now
        if codes:
            document.required_positions.set([positions[c] for c in codes if c in positions])
        else:
            document.required_units.set([health])
        people = {pid for pid, code in employments if not codes or code in codes}
        for person_id in sorted(people):
            if rng.random() < share:
                confirmations.append(
                    ReadConfirmation(
                        version=version,
                        person_id=person_id,
                        confirmed_at=published_at + dt.timedelta(days=rng.randrange(1, 25)),
                    )
                )
    del care_units
    ReadConfirmation.objects.bulk_create(confirmations)
    first = min(versions, key=lambda v: v.document_id)
    _checklist(first, first.document.title)


def _body(title: str) -> str:
    return (
        f"## Formål\n\nSikre at {title.lower()} skjer likt og trygt i alle enheter.\n\n"
        "## Ansvar\n\n**Enhetsleder** har ansvar for at rutinen er kjent. Alle ansatte har ansvar for å "
        "følge den og *melde avvik* når den ikke kan følges.\n\n"
        "## Fremgangsmåte\n\n1. Les rutinen og bekreft at du har lest og forstått den.\n"
        "2. Følg trinnene i sjekklisten.\n3. Dokumenter i journalsystemet.\n4. Meld avvik ved brudd.\n"
    )


def _load_nordoy(tenant: Organisation) -> None:
    if Deviation.objects.filter(tenant=tenant).exists():
        return
    categories = {c.slug: c for c in services.ensure_categories(tenant)}
    employee = User.objects.filter(email="ansatt@nordoy.demo").select_related("person").first()
    unit = Organisation.objects.filter(tenant=tenant, slug="nordoy-omsorgssenter").first()
    if employee is None or unit is None:
        return
    now = timezone.now()
    deviation = Deviation.objects.create(
        tenant=tenant,
        unit=unit,
        category=categories["fall-brukerskade"],
        severity=Severity.HIGH,
        what_happened="Beboer falt i gangen ved nattevakt.",
        occurred_at=now - dt.timedelta(days=1),
        reporter=employee.person,
        deadline=timezone.localdate() + dt.timedelta(days=7),
        created_at=now,
    )
    DeviationEvent.objects.create(
        deviation=deviation,
        kind=DeviationEvent.Kind.REPORTED,
        actor=employee.person,
        to_state=State.RECEIVED,
        at=now,
    )
    _photo(deviation, "gangen.jpg", (235, 226, 200))


def _stored(name: str, make: Callable[[], bytes]) -> str:
    """A demo file in default_storage under a fixed name, written once (reloads reuse it)."""
    path = f"quality/demo/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(make()))
    return path


def _photo(deviation: Deviation, name: str, colour: tuple[int, int, int]) -> None:
    """A small stand-in "phone photo" on a deviation (cleaned like every upload)."""

    def make() -> bytes:
        image = Image.new("RGB", (480, 360), colour)
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 60, 420, 300), outline=(60, 60, 60), width=6)
        draw.line((60, 120, 420, 120), fill=(60, 60, 60), width=4)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return attachments.clean_image(out.getvalue(), name)[0]

    path = _stored(name, make)
    DeviationAttachment.objects.create(
        deviation=deviation,
        file=path,
        name=name,
        content_type="image/jpeg",
        size=default_storage.size(path),
        added_by=deviation.reporter,
        created_at=deviation.created_at,
    )


def _checklist(version: DocumentVersion, title: str) -> None:
    """A one-page PDF checklist attached to a procedure version."""

    def make() -> bytes:
        pdf = FPDF(format="A4")
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.multi_cell(0, 9, f"Sjekkliste: {title}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 11)
        for step in ("Les rutinen", "Klargjør utstyr", "Utfør og dokumenter", "Meld avvik ved brudd"):
            pdf.cell(0, 9, f"[  ]  {step}", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    path = _stored(f"sjekkliste-{slugify(title)}.pdf", make)
    DocumentAttachment.objects.create(
        version=version,
        file=path,
        name="Sjekkliste.pdf",
        content_type="application/pdf",
        size=default_storage.size(path),
        added_by=version.author,
    )
