"""The organisation tree keeps paths, depth and tenant right, also when a unit moves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.testing import factories as f


def test_paths_tenant_and_depth_follow_the_tree(world):
    assert world.alpha.tenant_id == world.alpha.pk
    assert world.alpha_home_ward.tenant_id == world.alpha.pk
    assert world.alpha_home_ward.path.startswith(world.alpha_home.path)
    assert world.alpha_home_ward.depth == world.alpha_home.depth + 1
    assert list(world.alpha_home_ward.ancestors())[-1] == world.alpha_home


def test_moving_a_unit_moves_its_subtree(world):
    world.alpha_home.parent = world.alpha  # straight under the municipality
    world.alpha_home.save()

    ward = Organisation.objects.get(pk=world.alpha_home_ward.pk)
    assert ward.path == f"{world.alpha.path}{world.alpha_home.pk}/{ward.pk}/"
    assert ward.depth == 3


def test_a_sector_cannot_hang_under_a_unit(world):
    sector = Organisation(kind=OrganisationKind.SECTOR, name="X", slug="x", parent=world.alpha_home)
    with pytest.raises(ValidationError):
        sector.clean()


def test_unit_slugs_are_unique_within_a_municipality_only(world):
    f.UnitFactory(parent=world.beta_unit, slug="alfa-sykehjem")  # same slug, other tenant: fine
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.UnitFactory(parent=world.alpha_health, slug="alfa-sykehjem")
