"""Learning-conditions insight: aggregated only, groups under five suppressed, unit beside municipality."""

from __future__ import annotations

from decimal import Decimal

from laeringsarena.community import insight, services
from laeringsarena.community.tests.conftest import colleague_at
from laeringsarena.conftest import client_for
from laeringsarena.testing import factories as f


def staff_nursing_home(world, count: int, writers: int):
    """``count`` more health workers at the nursing home; the first ``writers`` reflect."""
    people = []
    for n in range(count):
        user = colleague_at(world.alpha_home, f"hfa{n}@alfa.test")
        user.person.birth_year = 1990
        user.person.save()
        user.person.employments.update(percentage=Decimal(60))
        if n < writers:
            services.write_reflection(user, body="Lærte noe i dag.")
        people.append(user)
    return people


def breakdown(data, title: str):
    return next(b for b in data.breakdowns if b.title == title)


def test_small_groups_are_suppressed_and_large_ones_shown(world):
    staff_nursing_home(world, 5, writers=2)
    # Alfa sykehjem: the employee, the leader and the union rep + 5 health workers = 8 people.
    data = insight.build(world.alpha_home)

    assert (data.total.unit.people, data.total.unit.participants, data.total.unit.share) == (8, 2, 25)
    by_band = {row.label: row for row in breakdown(data, "Stillingsprosent").rows}
    assert by_band["50–79 %"].unit.people == 5 and by_band["50–79 %"].unit.share == 40
    # The three full-timers are fewer than five: suppressed, no share given.
    assert by_band["100 %"].unit.people == 3
    assert by_band["100 %"].unit.suppressed and by_band["100 %"].unit.share is None


def test_the_page_never_shows_figures_for_fewer_than_five(world):
    staff_nursing_home(world, 5, writers=2)
    school_leader = colleague_at(world.alpha_school, "rektor@alfa.test")
    f.RoleFactory(person=school_leader.person, role="leader", organisation=world.alpha_school)

    page = client_for(school_leader).get("/fellesskap/innsikt/").content.decode()

    # The school has three people: every unit figure is hidden; the municipality's is shown.
    assert "Alfa skole" in page
    assert "Skjult (for få)" in page
    data = insight.build(world.alpha_school)
    assert data.total.unit.suppressed and data.total.unit.share is None
    assert data.reflections_unit is None
    assert not data.total.municipality.suppressed


def test_the_unit_figure_stands_beside_the_municipality_figure(world):
    staff_nursing_home(world, 5, writers=5)
    data = insight.build(world.alpha_home)

    assert data.municipality == world.alpha
    assert data.total.unit.people == 8
    assert data.total.municipality.people == 8 + 2  # + the teacher and HR at the school
    assert data.total.unit.participants == data.total.municipality.participants == 5


def test_employees_cannot_open_the_insight_and_leaders_only_their_units(world):
    assert client_for(world.employee).get("/fellesskap/innsikt/").status_code == 403
    assert client_for(world.leader).get("/fellesskap/innsikt/").status_code == 200
    other = client_for(world.leader).get(f"/fellesskap/innsikt/?enhet={world.alpha_school.pk}")
    assert other.status_code == 403
    beta = client_for(world.leader).get(f"/fellesskap/innsikt/?enhet={world.beta_unit.pk}")
    assert beta.status_code == 404


def test_attending_a_mini_course_counts_as_taking_part(world):
    import datetime as dt

    from django.utils import timezone

    from laeringsarena.community import passing_on

    staff = staff_nursing_home(world, 5, writers=0)
    before = insight.build(world.alpha_home).total.unit.participants
    course = passing_on.offer_mini_course(
        world.employee, title="Del det videre", starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    passing_on.invite_unit(world.employee, course.pk)
    passing_on.record_attendance(world.employee, course.pk, [u.person.pk for u in staff[:3]])

    after = insight.build(world.alpha_home).total.unit.participants
    assert (before, after) == (0, 4)  # three attendees and the host


def test_education_level_is_the_highest_recorded_and_small_levels_are_suppressed(world):
    from laeringsarena.competence.models import Education, EducationLevel

    staff = staff_nursing_home(world, 6, writers=0)
    # Five with a trade certificate (one also has a bachelor: counted there), writers among them.
    for n, user in enumerate(staff[:5]):
        Education.objects.create(person=user.person, level=EducationLevel.TRADE_CERTIFICATE, field="Helsefag")
        if n < 3:
            services.write_reflection(user, body="Refleksjon.")
    Education.objects.create(person=staff[0].person, level=EducationLevel.BACHELOR, field="Sykepleie")

    rows = {row.label: row for row in breakdown(insight.build(world.alpha_home), "Utdanningsnivå").rows}
    # staff[0] counts as a bachelor: four left with a trade certificate → suppressed.
    assert rows["Fagbrev / svennebrev"].unit.people == 4 and rows["Fagbrev / svennebrev"].unit.suppressed
    assert rows["Bachelorgrad"].unit.people == 1 and rows["Bachelorgrad"].unit.share is None
    # The employee, the leader, the union rep and staff[5] have nothing recorded: 4, suppressed.
    assert rows["Ikke registrert"].unit.people == 4

    Education.objects.create(person=staff[5].person, level=EducationLevel.TRADE_CERTIFICATE, field="Helsefag")
    rows = {row.label: row for row in breakdown(insight.build(world.alpha_home), "Utdanningsnivå").rows}
    cell = rows["Fagbrev / svennebrev"].unit
    assert (cell.people, cell.participants, cell.share) == (5, 2, 40)
    page = client_for(world.leader).get(f"/fellesskap/innsikt/?enhet={world.alpha_home.pk}").content.decode()
    assert "Utdanningsnivå" in page and "Fagbrev / svennebrev" in page
