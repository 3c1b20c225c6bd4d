"""The web pages as people use them: log in, Min læring, Min enhet, Kommunen, import."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from laeringsarena.conftest import client_for
from laeringsarena.people.models import Person
from laeringsarena.testing import factories as f


def test_login_with_email_and_password_lands_on_min_laering(world):
    client = Client()
    response = client.post(
        "/logg-inn/", {"username": "Ansatt@Alfa.test ", "password": "secret-pass-123"}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Min læring" in page
    assert "Helsefagarbeider" in page and "Alfa sykehjem" in page


def test_wrong_password_shows_a_clear_message(world):
    response = Client().post("/logg-inn/", {"username": "ansatt@alfa.test", "password": "nope"})
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(db):
    response = Client().get("/min-enhet/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/?next=/min-enhet/")


def test_navigation_depends_on_role(world):
    employee_page = client_for(world.employee).get("/").content.decode()
    leader_page = client_for(world.leader).get("/").content.decode()
    hr_page = client_for(world.hr).get("/").content.decode()

    assert "Min enhet" not in employee_page and "Kommunen" not in employee_page
    assert "Min enhet" in leader_page and "Kommunen" in leader_page
    assert "Administrasjon" in hr_page and "Min enhet" not in hr_page


def test_a_leader_sees_their_unit_with_people_and_figures(world):
    client = client_for(world.leader)
    response = client.get("/min-enhet/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/enheter/{world.alpha_home.pk}/"
    assert "Alfa sykehjem" in page
    assert world.employee.person.full_name in page


def test_a_leader_lists_people_with_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(15):
        f.EmploymentFactory(unit=world.alpha_home_ward)
    client = client_for(world.leader)
    with django_assert_max_num_queries(20):
        client.get(f"/enheter/{world.alpha_home.pk}/")


def test_an_employee_cannot_open_the_unit_page(world):
    assert client_for(world.employee).get(f"/enheter/{world.alpha_home.pk}/").status_code == 403


def test_another_municipalitys_unit_and_people_are_not_found(world):
    client = client_for(world.leader)
    assert client.get(f"/enheter/{world.beta_unit.pk}/").status_code == 404
    assert client.get(f"/personer/{world.beta_employee.person.pk}/").status_code == 404
    assert client.get("/kommunen/beta/").status_code == 404


def test_small_groups_are_suppressed_in_the_municipality_overview(world):
    page = client_for(world.union_rep).get("/kommunen/alfa/").content.decode()
    assert "Skjult (for få personer)" in page
    assert world.employee.person.full_name not in page  # aggregates only


def test_hr_imports_employees_through_the_web_form(world):
    csv = (
        "employee_number,given_name,family_name,email,unit,position_code,position_name,percentage,start_date\n"
        "900,Liv,Aas,liv@alfa.test,alfa-skole,2341,Lærer,100,2019-08-01\n"
    ).encode()
    client = client_for(world.hr)
    response = client.post("/administrasjon/alfa/import/", {"file": SimpleUploadedFile("hr.csv", csv)})

    assert response.status_code == 200
    assert "Importen er fullført" in response.content.decode()
    assert Person.objects.filter(email="liv@alfa.test").exists()


def test_a_bad_import_file_shows_each_bad_line(world):
    csv = (
        b"employee_number,given_name,family_name,email,unit,position_code,percentage,start_date\n"
        b"1,A,B,bad,x,5321,0,2020-01-01\n"
    )
    response = client_for(world.hr).post(
        "/administrasjon/alfa/import/", {"file": SimpleUploadedFile("hr.csv", csv)}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ingenting er importert" in page
    assert "Ukjent enhet" in page and "ikke en gyldig e-postadresse" in page


def test_language_switch_changes_the_interface(world):
    client = client_for(world.employee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_logout_requires_post_and_logs_out(world):
    client = client_for(world.employee)
    assert client.get("/logg-ut/").status_code == 405
    client.post("/logg-ut/")
    assert client.get("/").status_code == 302


def test_a_leader_filters_people_as_they_type(world):
    f.EmploymentFactory(unit=world.alpha_home, person__given_name="Sigrid", person__family_name="Holm")
    client = client_for(world.leader)

    partial = client.get(f"/enheter/{world.alpha_home.pk}/?q=holm", HTTP_HX_REQUEST="true").content.decode()

    assert "Sigrid Holm" in partial and "<html" not in partial
    assert world.employee.person.full_name not in partial
    full = client.get(f"/enheter/{world.alpha_home.pk}/?q=holm").content.decode()
    assert "<html" in full and "Sigrid Holm" in full
