from __future__ import annotations

import pytest

from laeringsarena.competence.models import CertificationRequirement
from laeringsarena.conftest import World
from laeringsarena.learning.tests.factories import PathWorld, blended_path


@pytest.fixture
def requirement(world: World) -> CertificationRequirement:
    return CertificationRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_home, name="Smittevernsertifikat", validity_months=12
    )


@pytest.fixture
def blended(world: World, requirement: CertificationRequirement) -> PathWorld:
    return blended_path(world.hr, world.alpha, requirement=requirement)
