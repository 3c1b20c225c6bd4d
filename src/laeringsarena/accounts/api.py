"""API: who am I."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from laeringsarena.accounts import permissions
from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.people.models import Employment

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    organisation_id: int
    organisation: str


class EmploymentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    unit_id: int
    unit: str
    position_code: str
    position: str
    percentage: float
    start_date: dt.date
    end_date: dt.date | None
    active: bool


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str | None


class MeOut(Schema):
    email: str
    person: PersonOut | None
    employments: list[EmploymentOut]
    roles: list[RoleOut]


def employment_out(employment: Employment) -> EmploymentOut:
    return EmploymentOut(
        id=employment.pk,
        organisation_id=employment.organisation_id,
        organisation=employment.organisation.name,
        unit_id=employment.unit_id,
        unit=employment.unit.name,
        position_code=employment.position.code,
        position=employment.position.name,
        percentage=float(employment.percentage),
        start_date=employment.start_date,
        end_date=employment.end_date,
        active=employment.is_active(),
    )


@router.get("/me", response={200: MeOut, **PROBLEM_RESPONSES}, summary="The caller")
def me(request: HttpRequest) -> MeOut:
    """The calling user's person, employments and roles (with the organisation each covers)."""
    user = permissions.require_login(request.user)
    person = user.person
    employments: list[EmploymentOut] = []
    if person is not None:
        employments = [
            employment_out(e)
            for e in person.employments.select_related("organisation", "unit", "position").order_by(
                "-start_date"
            )
        ]
    from laeringsarena.organisations.models import Organisation

    grants = permissions.grants(user)
    names = dict(
        Organisation.objects.filter(pk__in={g.organisation_id for g in grants}).values_list("pk", "name")
    )
    roles = [
        RoleOut(role=g.role, organisation_id=g.organisation_id, organisation=names.get(g.organisation_id, ""))
        for g in grants
    ]
    return MeOut(
        email=user.email,
        person=PersonOut.from_orm(person) if person is not None else None,
        employments=employments,
        roles=roles,
    )
