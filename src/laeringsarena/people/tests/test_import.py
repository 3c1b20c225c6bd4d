"""Employee import from an HR export: atomic, idempotent, ends missing employments."""

from __future__ import annotations

import datetime as dt

import pytest

from laeringsarena.core.errors import InvalidInput
from laeringsarena.organisations.models import Position
from laeringsarena.people.models import Employment, Person
from laeringsarena.people.services import import_employees

HEADER = (
    "employee_number,employment_number,given_name,family_name,email,unit,"
    "position_code,position_name,percentage,start_date,end_date\n"
)
ROWS = [
    "1001,1,Kari,Nordmann,kari.nordmann@alfa.test,alfa-sykehjem,5321,Helsefagarbeider,80,2019-03-01,\n",
    "1002,1,Ola,Hansen,ola.hansen@alfa.test,avdeling-1,2223,Sykepleier,100,2015-08-15,\n",
    "1003,1,Siri,Bakke,siri.bakke@alfa.test,alfa-skole,2341,Lærer,100,2010-08-01,\n",
    "1003,2,Siri,Bakke,siri.bakke@alfa.test,alfa-sykehjem,5321,Helsefagarbeider,20,2022-01-01,\n",
]
TODAY = dt.date(2026, 11, 22)


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


def test_import_creates_people_employments_and_positions(world):
    result = import_employees(world.alpha, csv(*ROWS), today=TODAY)

    assert (result.created_people, result.created_employments) == (3, 4)
    siri = Person.objects.get(email="siri.bakke@alfa.test")
    assert siri.employments.count() == 2  # one person, two employments
    assert Position.objects.get(code="2223").name == "Sykepleier"
    ola = Employment.objects.get(person__email="ola.hansen@alfa.test")
    assert ola.unit == world.alpha_home_ward and ola.organisation == world.alpha


def test_reimport_of_the_same_file_changes_nothing(world):
    import_employees(world.alpha, csv(*ROWS), today=TODAY)
    people, employments = Person.objects.count(), Employment.objects.count()

    result = import_employees(world.alpha, csv(*ROWS), today=TODAY)

    assert (Person.objects.count(), Employment.objects.count()) == (people, employments)
    assert result.unchanged_employments == 4
    assert result.created_employments == result.updated_employments == result.ended_employments == 0


def test_reimport_updates_changed_rows(world):
    import_employees(world.alpha, csv(*ROWS), today=TODAY)
    changed = ROWS[0].replace(",80,", ",60,").replace("Kari,Nordmann", "Kari,Nordmann-Lie")

    result = import_employees(world.alpha, csv(changed, *ROWS[1:]), today=TODAY)

    kari = Person.objects.get(email="kari.nordmann@alfa.test")
    assert kari.family_name == "Nordmann-Lie"
    assert kari.employments.get().percentage == 60
    assert (result.updated_employments, result.updated_people) == (1, 1)


def test_employments_missing_from_the_file_are_ended_not_deleted(world):
    import_employees(world.alpha, csv(*ROWS), today=TODAY)

    result = import_employees(world.alpha, csv(*ROWS[:2]), today=TODAY)

    assert result.ended_employments == 2
    siri_jobs = Employment.objects.filter(person__email="siri.bakke@alfa.test")
    assert siri_jobs.count() == 2  # kept as history
    assert all(job.end_date == dt.date(2026, 11, 21) for job in siri_jobs)
    assert not any(job.is_active(TODAY) for job in siri_jobs)


def test_employments_in_another_municipality_are_not_ended(world):
    import_employees(
        world.beta,
        "employee_number,given_name,family_name,email,unit,position_code,position_name,percentage,start_date\n"
        "7,Per,Berg,per.berg@beta.test,beta-omsorg,5321,Helsefagarbeider,100,2020-01-01\n",
        today=TODAY,
    )

    import_employees(world.alpha, csv(*ROWS), today=TODAY)

    assert Employment.objects.get(person__email="per.berg@beta.test").end_date is None


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row(world):
    bad = csv(
        ROWS[0],
        "1002,1,Ola,Hansen,not-an-email,avdeling-1,2223,Sykepleier,100,2015-08-15,\n",
        "1004,1,Nina,Lund,nina@alfa.test,ukjent-enhet,5321,,150,15.13.2020,\n",
    )
    people_before = Person.objects.count()

    with pytest.raises(InvalidInput) as caught:
        import_employees(world.alpha, bad, today=TODAY)

    assert Person.objects.count() == people_before
    reported = {(e["line"], e["field"]) for e in caught.value.errors}
    assert reported >= {(3, "email"), (4, "unit"), (4, "percentage"), (4, "start_date")}
    assert all(e["reason"] for e in caught.value.errors)


def test_missing_required_columns_are_named(world):
    with pytest.raises(InvalidInput) as caught:
        import_employees(world.alpha, b"given_name,family_name\nKari,Nordmann\n", today=TODAY)
    assert "employee_number" in caught.value.errors[0]["reason"]


def test_unknown_position_code_needs_a_name(world):
    row = "1005,1,Eva,Moe,eva@alfa.test,alfa-skole,9999,,100,2020-01-01,\n"
    with pytest.raises(InvalidInput) as caught:
        import_employees(world.alpha, csv(row), today=TODAY)
    assert caught.value.errors[0]["field"] == "position_name"


def test_semicolon_separated_cp1252_export_with_norwegian_dates_is_understood(world):
    text = (
        "employee_number;given_name;family_name;email;unit;position_code;position_name;percentage;start_date\n"
        "2001;Bjørn;Ødegård;bjorn@alfa.test;alfa-skole;2341;Lærer;75,5;01.08.2018\n"
    )
    result = import_employees(world.alpha, text.encode("cp1252"), today=TODAY)

    assert result.created_people == 1
    person = Person.objects.get(email="bjorn@alfa.test")
    assert person.family_name == "Ødegård"
    assert str(person.employments.get().percentage) == "75.50"


def test_an_email_belonging_to_someone_else_is_rejected(world):
    import_employees(world.alpha, csv(*ROWS[:2]), today=TODAY)
    stolen = ROWS[0].replace("kari.nordmann@alfa.test", "ola.hansen@alfa.test")
    with pytest.raises(InvalidInput):
        import_employees(world.alpha, csv(stolen), today=TODAY)
    assert Person.objects.get(email="kari.nordmann@alfa.test")


def test_dry_run_reports_without_saving(world):
    result = import_employees(world.alpha, csv(*ROWS), today=TODAY, dry_run=True)
    assert result.created_people == 3
    assert not Person.objects.filter(email="kari.nordmann@alfa.test").exists()


def test_duplicate_employment_lines_are_reported(world):
    with pytest.raises(InvalidInput) as caught:
        import_employees(world.alpha, csv(ROWS[0], ROWS[0]), today=TODAY)
    assert caught.value.errors[0]["line"] == 3
