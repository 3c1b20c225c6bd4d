"""Each signal and its reason text, funding, dismissals and switching personal signals off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from laeringsarena.catalogue.models import (
    Bundle,
    BundleGrant,
    OfferingSession,
    Participation,
    ParticipationKind,
    Rating,
)
from laeringsarena.competence.models import (
    Certification,
    CertificationRequirement,
    CompetenceLevel,
    Source,
)
from laeringsarena.guidance import services
from laeringsarena.guidance.models import CareerWish, DismissReason, SignalCategory
from laeringsarena.guidance.tests import factories as g
from laeringsarena.organisations.models import Position
from laeringsarena.plans.models import DevelopmentPlan, PlanItem
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


def _by_title(items):
    return {item.offering.title: item for item in items}


def test_competence_gap_reason_names_level_and_competence(world):
    person = world.employee.person
    medicines = g.competence("Legemiddelhåndtering")
    g.requirement(world.alpha, medicines, 3)
    CompetenceLevel.objects.create(
        person=person, competence=medicines, level=2, source=Source.LEADER, assessed_on=timezone.localdate()
    )
    g.offering("Trygg legemiddelhåndtering", competences=[medicines])
    g.offering("Kurs i hagestell")
    items = services.recommend(person)
    assert items[0].offering.title == "Trygg legemiddelhåndtering"
    assert items[0].reason == "Du mangler nivå 3 i legemiddelhåndtering som kreves for stillingen din"
    assert items[0].main.key == "gap" and not items[0].main.personal
    assert items[0].main.data == {"competence": "Legemiddelhåndtering", "required_level": 3, "your_level": 2}


def test_gap_found_by_text_when_no_offering_is_linked(world):
    person = world.employee.person
    g.requirement(world.alpha, g.competence("Smittevern"), 2)
    g.offering("Smittevern for helsepersonell")
    items = services.recommend(person)
    assert items[0].reason == "Stillingen din krever nivå 2 i smittevern – du er ikke vurdert i den ennå"


def test_expiring_certification_reason_counts_days(world):
    person = world.employee.person
    requirement = CertificationRequirement.objects.create(tenant=world.alpha, name="HLR", validity_months=12)
    today = timezone.localdate()
    Certification.objects.create(
        person=person,
        name="HLR",
        issued_on=today - dt.timedelta(days=325),
        expires_on=today + dt.timedelta(days=40),
        requirement=requirement,
    )
    g.offering("HLR – oppfriskning")
    items = services.recommend(person)
    assert items[0].reason == "Sertifikatet ditt i HLR går ut om 40 dager"
    assert items[0].main.data["days_left"] == 40


def test_certification_far_from_expiry_is_not_a_reason(world):
    person = world.employee.person
    today = timezone.localdate()
    Certification.objects.create(
        person=person, name="HLR", issued_on=today, expires_on=today + dt.timedelta(days=300)
    )
    g.offering("HLR – oppfriskning")
    assert all(s.key != "certification" for i in services.recommend(person) for s in i.signals)


def test_colleagues_in_the_same_position_rating(world):
    person = world.employee.person
    course = g.offering("Samtaler om livets slutt")
    for stars in (5, 5, 4, 4, 5):
        colleague = f.PersonFactory()
        f.EmploymentFactory(person=colleague, unit=world.alpha_home)
        Participation.objects.create(offering=course, person=colleague, kind=ParticipationKind.COMPLETED)
        Rating.objects.create(offering=course, person=colleague, stars=stars)
    items = _by_title(services.recommend(person))
    assert items["Samtaler om livets slutt"].reason == "Kolleger i samme stilling vurderte dette til 4,6"


def test_a_single_colleague_is_never_a_reason(world):
    person = world.employee.person
    course = g.offering("Samtaler om livets slutt")
    colleague = f.PersonFactory()
    f.EmploymentFactory(person=colleague, unit=world.alpha_home)
    Rating.objects.create(offering=course, person=colleague, stars=5)
    items = services.recommend(person)
    assert all(s.key != "colleagues" for i in items for s in i.signals)


def _next_weekday(weekday: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_calendar_free_hours_on_thursday(world):
    person = world.employee.person
    thursday = _next_weekday(3)
    webinar = g.offering("Webinar om velferdsteknologi", format="webinar", duration_minutes=60)
    start = timezone.make_aware(dt.datetime.combine(thursday, dt.time(13, 0)))
    OfferingSession.objects.create(offering=webinar, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    day = thursday.strftime("%Y%m%d")
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=Europe/Oslo:{day}T080000\r\n"
        f"DTEND;TZID=Europe/Oslo:{day}T120000\r\nSUMMARY:Vakt\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:2\r\nDTSTART;TZID=Europe/Oslo:{day}T150000\r\n"
        f"DTEND;TZID=Europe/Oslo:{day}T200000\r\nSUMMARY:Vakt\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    services.save_calendar(world.employee, ics)
    items = _by_title(services.recommend(person))
    assert items["Webinar om velferdsteknologi"].reason.startswith("Passer i ledige timer torsdag")


def test_calendar_session_in_busy_time_does_not_fit(world):
    person = world.employee.person
    thursday = _next_weekday(3)
    webinar = g.offering("Webinar om velferdsteknologi", format="webinar", duration_minutes=60)
    start = timezone.make_aware(dt.datetime.combine(thursday, dt.time(10, 0)))
    OfferingSession.objects.create(offering=webinar, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    day = thursday.strftime("%Y%m%d")
    services.save_calendar(
        world.employee,
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:1\n"
        f"DTSTART;TZID=Europe/Oslo:{day}T080000\nDTEND;TZID=Europe/Oslo:{day}T160000\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    items = _by_title(services.recommend(person))
    assert all(s.key != "calendar" for s in items["Webinar om velferdsteknologi"].signals)


def test_development_plan_offering_and_competence_goal(world):
    person = world.employee.person
    planned = g.offering("Veiledning av lærlinger")
    dementia = g.competence("Demensomsorg")
    g.offering("Demensomsorg i praksis", competences=[dementia])
    plan = DevelopmentPlan.objects.create(person=person)
    PlanItem.objects.create(plan=plan, kind="offering", title="Veiledning", offering=planned)
    PlanItem.objects.create(
        plan=plan, kind="on_the_job", title="Bli tryggere", competence=dementia, target_level=3
    )
    items = _by_title(services.recommend(person))
    assert items["Veiledning av lærlinger"].reason == "Dette står i utviklingsplanen din"
    assert items["Demensomsorg i praksis"].reason == "Utviklingsplanen din har mål om nivå 3 i demensomsorg"


def test_career_wish_target_position(world):
    person = world.employee.person
    nurse = Position.objects.create(code="2223", name="Sykepleier")
    wounds = g.competence("Sårbehandling")
    g.requirement(world.alpha, wounds, 4, position=nurse)
    g.offering("Sårbehandling for viderekomne", competences=[wounds])
    CareerWish.objects.create(person=person, target_position=nurse)
    items = _by_title(services.recommend(person))
    assert (
        items["Sårbehandling for viderekomne"].reason
        == "Du ønsker å bli sykepleier, som krever nivå 4 i sårbehandling"
    )


def test_position_quality_and_popularity_reasons(world):
    person = world.employee.person
    position = Position.objects.get(code="5321")
    g.offering("Munnstell", positions=[position])
    rated = g.offering("Kommunikasjon med pårørende", rating_count=40, rating_sum=184)
    popular = g.offering("Informasjonssikkerhet")
    for _ in range(3):
        Participation.objects.create(
            offering=popular, person=f.PersonFactory(), kind=ParticipationKind.COMPLETED
        )
    items = _by_title(services.recommend(person, limit=10))
    assert items["Munnstell"].reason == "Laget for stillingen din som helsefagarbeider"
    assert items["Kommunikasjon med pårørende"].reason.startswith("Godt vurdert: 4,5 av 5")
    assert (
        rated.pk and items["Informasjonssikkerhet"].reason == "3 personer har fullført dette det siste året"
    )


def test_preferred_format_and_language(world):
    person = world.employee.person
    services.save_settings(world.employee, formats=["micro"])
    g.offering("Hygiene på to minutter", format="micro")
    g.offering("Hygiene in English", language="en")
    items = services.recommend(person, limit=10)
    by_title = _by_title(items)
    assert by_title["Hygiene på to minutter"].reason == "I et format du foretrekker (mikrolæring)"
    assert [i.offering.title for i in items].index("Hygiene på to minutter") < [
        i.offering.title for i in items
    ].index("Hygiene in English")


def test_funding_attributes(world):
    person = world.employee.person
    g.offering("Betalt kurs", price_model="paid", price_nok=Decimal(4500), ects_credits=Decimal("7.5"))
    g.offering("Arbeidsgiverbetalt", price_model="employer")
    sub = g.offering("Abonnementskurs", price_model="subscription")
    bundle = Bundle.objects.create(name="Pakke", slug="pakke")
    bundle.offerings.add(sub)
    BundleGrant.objects.create(bundle=bundle, organisation=world.alpha, valid_from=timezone.localdate())
    items = _by_title(services.recommend(person, limit=10))
    paid = [x.kind for x in items["Betalt kurs"].funding]
    assert paid == ["competence_funds", "student_loan"]
    assert "Lånekassen" in items["Betalt kurs"].funding[1].text
    assert items["Arbeidsgiverbetalt"].funding[0].text == "Arbeidsgiveren betaler"
    assert items["Abonnementskurs"].funding[0].kind == "subscription"


def test_dismissals_are_respected_next_time(world):
    person = world.employee.person
    a = g.offering("Kurs A")
    b = g.offering("Kurs B")
    c = g.offering("Kurs C")
    services.dismiss(world.employee, a.pk, DismissReason.NOT_RELEVANT)
    services.dismiss(world.employee, b.pk, DismissReason.ALREADY_KNOWN)
    services.dismiss(world.employee, c.pk, DismissReason.NOT_NOW)
    assert services.recommend(person) == []
    later = timezone.now() + dt.timedelta(days=31)
    assert [i.offering.title for i in services.recommend(person, now=later)] == ["Kurs C"]


def test_already_known_damps_the_gap_for_its_competence(world):
    person = world.employee.person
    hygiene = g.competence("Smittevern")
    g.requirement(world.alpha, hygiene, 3)
    first = g.offering("Smittevern grunnkurs", competences=[hygiene])
    second = g.offering("Smittevern repetisjon", competences=[hygiene])
    before = _by_title(services.recommend(person))["Smittevern repetisjon"].score
    services.dismiss(world.employee, first.pk, DismissReason.ALREADY_KNOWN)
    after = _by_title(services.recommend(person))["Smittevern repetisjon"].score
    assert second.pk and after < before


def test_completed_offerings_are_not_recommended(world):
    person = world.employee.person
    done = g.offering("Ferdig kurs")
    g.offering("Nytt kurs")
    Participation.objects.create(offering=done, person=person, kind=ParticipationKind.COMPLETED)
    assert [i.offering.title for i in services.recommend(person)] == ["Nytt kurs"]


def test_personal_signals_off_still_recommends_from_role_and_gaps(world):
    person = world.employee.person
    medicines = g.competence("Legemiddelhåndtering")
    g.requirement(world.alpha, medicines, 3)
    g.offering("Legemiddelhåndtering i praksis", competences=[medicines])
    planned = g.offering("Kurs fra planen")
    PlanItem.objects.create(
        plan=DevelopmentPlan.objects.create(person=person), kind="offering", title="x", offering=planned
    )
    services.save_settings(world.employee, disabled=list(SignalCategory.values))
    items = services.recommend(person)
    assert items[0].offering.title == "Legemiddelhåndtering i praksis"
    assert all(not s.personal for i in items for s in i.signals)
    assert all(s.key != "plan" for i in items for s in i.signals)


def test_profile_never_hides_offerings(world):
    """Education, age and part-time percentage do not change what a person can be recommended."""
    from laeringsarena.competence.models import Education

    a, b = f.PersonFactory(birth_year=1960), f.PersonFactory(birth_year=1998)
    f.EmploymentFactory(person=a, unit=world.alpha_home, percentage=20)
    f.EmploymentFactory(person=b, unit=world.alpha_home, percentage=100)
    Education.objects.create(person=b, level="master", field="Sykepleie")
    for n in range(6):
        g.offering(f"Kurs {n}", ects_credits=Decimal(10) if n % 2 else None)
    titles_a = [i.offering.title for i in services.recommend(a, limit=6)]
    titles_b = [i.offering.title for i in services.recommend(b, limit=6)]
    assert titles_a == titles_b and len(titles_a) == 6
