"""Demo data of the learning account: uploads, own entries and a former employer.

- A helsefagarbeider at Fjordvik sykehjem (:func:`mover`, a generated person with the password
  ``demo``) worked three years in Nordøy kommune's home care before coming to Fjordvik
  (:func:`ensure_past_employment`). The account shows an expired HLR certification recorded
  by Nordøy and a private course certificate from there. Nordøy's leaders no longer reach the
  account; Fjordvik's do, but see only the Fjordvik part and what the person chose to show.
- Amir Haddad (ansatt2@fjordvik.demo): his trade certificate as education he entered himself,
  with the diploma uploaded and shown to his employer.
- Ingrid Solberg (ansatt@fjordvik.demo): a course certificate shown to her employer, a
  self-reported driving licence and prior learning (realkompetanse) with private evidence.
- Sunniva Øvrebø (ansatt@nordoy.demo): her diploma, and a receipt for an earlier deletion.

Idempotent (keyed by titles and the employment's ``external_id``), deterministic, and fast:
the files are a few hundred bytes each.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.competence.models import Certification, EducationLevel
from laeringsarena.demo.logins import DEMO_LOGINS
from laeringsarena.learning_account import deletion, services
from laeringsarena.learning_account.models import AccountEvent, DocumentKind, EventKind, OwnEntry, Upload
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person

HEALTH_WORKER = "5321"  # Helsefagarbeider (STYRK-08), as in the demo population


def ensure_past_employment(
    person: Person,
    *,
    tenant_slug: str,
    unit_slug: str,
    position_code: str,
    percentage: int,
    start: dt.date,
    end: dt.date,
    external_id: str,
) -> Employment | None:
    """Demo helper: give a person an ended employment with another employer (people models).

    Matched by ``(employer, external_id)`` so a second run changes nothing. Returns None when
    the employer, unit or position is not in the database.
    """
    tenant = Organisation.objects.filter(
        slug=tenant_slug, kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
    ).first()
    unit = Organisation.objects.filter(tenant=tenant, slug=unit_slug).first() if tenant else None
    position = Position.objects.filter(code=position_code).first()
    if tenant is None or unit is None or position is None:
        return None
    employment, _created = Employment.objects.get_or_create(
        organisation=tenant,
        external_id=external_id,
        defaults={
            "person": person,
            "unit": unit,
            "position": position,
            "percentage": Decimal(percentage),
            "start_date": start,
            "end_date": end,
        },
    )
    return employment


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing in for a scanned certificate."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).select_related("person").first()


def _upload(
    user: User,
    *,
    kind: str,
    title: str,
    issuer: str,
    issued_on: dt.date | None,
    filename: str,
    content: bytes,
    visible: bool,
    **links: int,
) -> Upload:
    existing = Upload.objects.filter(person=user.person, title=title).first()
    if existing is not None:
        return existing
    return services.add_upload(
        user,
        services.UploadData(
            kind=kind, title=title, issuer=issuer, issued_on=issued_on, visible_to_employer=visible, **links
        ),
        ContentFile(content, name=filename),
    )


def load() -> None:
    today = timezone.localdate()
    _mover(today)
    _amir(today)
    _ingrid(today)
    _sunniva(today)


def mover() -> User | None:
    """The demo person who came to Fjordvik from Nordøy: a generated helsefagarbeider.

    The first (by id) helsefagarbeider at Fjordvik sykehjem with one employment, a login, and a
    start in 2016 or later. A generated person rather than a fixed login, because a fixed login
    with an employment in the other municipality would show that municipality in their own
    lists, which the access tests rightly watch for.
    """
    fixed = {email for email, _label in DEMO_LOGINS}
    candidates = (
        Employment.objects.filter(
            organisation__slug="fjordvik",
            unit__slug="fjordvik-sykehjem",
            position__code=HEALTH_WORKER,
            end_date__isnull=True,
            start_date__gte=dt.date(2016, 1, 1),
        )
        .exclude(person__email__in=fixed)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    for person_id in candidates[:20]:
        if person_id is None:
            continue
        if Employment.objects.filter(person_id=person_id).exclude(external_id=MOVER_EMPLOYMENT).count() != 1:
            continue
        user = User.objects.filter(person_id=person_id).select_related("person").first()
        if user is not None:
            return user
    return None


MOVER_EMPLOYMENT = "990017:1"  # employee number:employment number, as the HR import writes it


def _mover(today: dt.date) -> None:
    user = mover()
    if user is None or user.person is None:
        return
    person = user.person
    fjordvik_start = (
        Employment.objects.filter(person=person, organisation__slug="fjordvik")
        .order_by("start_date")[0]
        .start_date
    )
    end = fjordvik_start - dt.timedelta(days=1)
    start = end.replace(year=end.year - 3) + dt.timedelta(days=1)
    ensure_past_employment(
        person,
        tenant_slug="nordoy",
        unit_slug="hjemmetjenesten",
        position_code=HEALTH_WORKER,
        percentage=80,
        start=start,
        end=end,
        external_id=MOVER_EMPLOYMENT,
    )
    # Recorded by Nordøy while the person worked there: expired long ago.
    issued = start + dt.timedelta(days=200)
    Certification.objects.get_or_create(
        person=person,
        name="Førstehjelp og HLR",
        issuer="Nordøy kommune",
        issued_on=issued,
        defaults={"expires_on": issued + dt.timedelta(days=365)},
    )
    _upload(
        user,
        kind=DocumentKind.COURSE_CERTIFICATE,
        title="Kursbevis: Forflytningsteknikk",
        issuer="Nordøy kommune",
        issued_on=start + dt.timedelta(days=90),
        filename="kursbevis-forflytning.pdf",
        content=demo_pdf(
            "Kursbevis",
            [person.full_name, "har gjennomført kurset Forflytningsteknikk (7 timer).", "Nordøy kommune"],
        ),
        visible=False,
    )


def _amir(today: dt.date) -> None:
    user = _user("ansatt2@fjordvik.demo")
    if user is None or user.person is None:
        return
    person = user.person
    if not OwnEntry.objects.filter(person=person, kind="education").exists():
        education = services.save_education(
            user,
            {
                "level": EducationLevel.TRADE_CERTIFICATE,
                "field": "Helsearbeiderfaget",
                "institution": "Fjordvik videregående skole",
                "completed_year": "2018",
                "visible_to_employer": True,
            },
        )
        _upload(
            user,
            kind=DocumentKind.DIPLOMA,
            title="Fagbrev i helsearbeiderfaget",
            issuer="Vestland fylkeskommune",
            issued_on=dt.date(2018, 6, 20),
            filename="fagbrev.pdf",
            content=demo_pdf(
                "Fagbrev",
                ["Amir Haddad", "Helsearbeiderfaget", "Vestland fylkeskommune, 20.6.2018"],
            ),
            visible=True,
            education_id=education.pk,
        )


def _ingrid(today: dt.date) -> None:
    user = _user("ansatt@fjordvik.demo")
    if user is None or user.person is None:
        return
    person = user.person
    _upload(
        user,
        kind=DocumentKind.COURSE_CERTIFICATE,
        title="Kursbevis: Demensomsorgens ABC",
        issuer="Nasjonalt senter for aldring og helse",
        issued_on=today - dt.timedelta(days=540),
        filename="demensomsorgens-abc.pdf",
        content=demo_pdf(
            "Kursbevis: Demensomsorgens ABC",
            ["Ingrid Solberg", "Perm 1 og 2 gjennomført med refleksjonsgruppe.", "Aldring og helse"],
        ),
        visible=True,
    )
    if not OwnEntry.objects.filter(person=person, kind="certification").exists():
        services.save_certification(
            user,
            {
                "name": "Førerkort klasse B",
                "issuer": "Statens vegvesen",
                "issued_on": "2007-05-14",
                "expires_on": "2073-05-14",
                "visible_to_employer": True,
            },
        )
    if not OwnEntry.objects.filter(person=person, kind="prior_learning").exists():
        learning = services.save_prior_learning(
            user,
            {
                "description": "Seks år som frivillig besøksvenn i Røde Kors, med ansvar for nye frivillige.",
                "evidence": "Attest fra Fjordvik Røde Kors",
                "visible_to_employer": False,
            },
        )
        _upload(
            user,
            kind=DocumentKind.PRIOR_LEARNING,
            title="Attest: besøksvenn i Røde Kors",
            issuer="Fjordvik Røde Kors",
            issued_on=today - dt.timedelta(days=400),
            filename="attest-rode-kors.txt",
            content=(
                "Attest\n\nIngrid Solberg har vært besøksvenn i Fjordvik Røde Kors i seks år og har "
                "fulgt opp nye frivillige.\n\nFjordvik Røde Kors\n"
            ).encode(),
            visible=False,
            prior_learning_id=learning.pk,
        )


def _sunniva(today: dt.date) -> None:
    user = _user("ansatt@nordoy.demo")
    if user is None or user.person is None:
        return
    person = user.person
    if not AccountEvent.objects.filter(person=person, kind=EventKind.DELETION).exists():
        # An old CV she uploaded and later asked to have deleted: the receipt stays in the log.
        _upload(
            user,
            kind=DocumentKind.OTHER,
            title="Gammel CV",
            issuer="",
            issued_on=None,
            filename="cv.txt",
            content="CV, Sunniva Øvrebø (2016)\n".encode(),
            visible=False,
        )
        deletion.request_deletion(user, confirm=True)
    _upload(
        user,
        kind=DocumentKind.DIPLOMA,
        title="Vitnemål: helsefagarbeider",
        issuer="Nordøy videregående skole",
        issued_on=dt.date(2011, 6, 18),
        filename="vitnemal.pdf",
        content=demo_pdf("Vitnemål", ["Sunniva Øvrebø", "Helse- og oppvekstfag, helsearbeiderfaget", "2011"]),
        visible=True,
    )
