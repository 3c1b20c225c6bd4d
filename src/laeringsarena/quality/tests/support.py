"""Shared test helpers for the quality app: a world with a handler chain, and reporting."""

from __future__ import annotations

import json

from django.test import Client

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import bearer
from laeringsarena.quality import services
from laeringsarena.quality.models import DeviationCategory
from laeringsarena.testing import factories as f

URL = "/api/v1/quality/deviations"


def build(world):
    """The world plus a sector leader (kommunalsjef) and a colleague in the same unit."""
    services.ensure_categories(world.alpha)
    sector_leader = f.UserFactory(person=f.PersonFactory(email="sjef@alfa.test"))
    f.EmploymentFactory(person=sector_leader.person, unit=world.alpha_home)
    f.RoleFactory(person=sector_leader.person, role=Role.LEADER, organisation=world.alpha_health)
    same_unit = f.UserFactory(person=f.PersonFactory(email="kollega@alfa.test"))
    f.EmploymentFactory(person=same_unit.person, unit=world.alpha_home)
    school_leader = f.UserFactory(person=f.PersonFactory(email="rektor@alfa.test"))
    f.EmploymentFactory(person=school_leader.person, unit=world.alpha_school)
    f.RoleFactory(person=school_leader.person, role=Role.LEADER, organisation=world.alpha_school)
    world.sector_leader = sector_leader
    world.same_unit = same_unit
    world.school_leader = school_leader
    world.category = DeviationCategory.objects.get(tenant=world.alpha, slug="legemidler")
    return world


def report(user, world, **extra):
    body = {
        "unit_id": world.alpha_home.pk,
        "category_id": world.category.pk,
        "what_happened": "Kveldsmedisin ble ikke gitt til beboer på rom 12.",
        "severity": "high",
        **extra,
    }
    return Client().post(URL, json.dumps(body), content_type="application/json", **bearer(user))
