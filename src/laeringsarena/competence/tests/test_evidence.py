"""A completed learning path is evidence for the competences it develops, up to the required level."""

from __future__ import annotations

import pytest
from django.utils import timezone

from laeringsarena.competence import services
from laeringsarena.competence.models import (
    Assessment,
    CompetenceLevel,
    CompetenceRequirement,
    Framework,
    Source,
)
from laeringsarena.learning.models import Completion, CompletionSource, LearningPath
from laeringsarena.learning.signals import completion_recorded


@pytest.fixture
def setup(world):
    health = Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)
    ps1, ps2 = health.competences.get(code="PS1"), health.competences.get(code="PS2")
    CompetenceRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_home, competence=ps1, required_level=3
    )
    path = LearningPath.objects.create(
        tenant=world.alpha, slug="legemidler", title="Legemiddelhåndtering", activity_id="urn:test:legemidler"
    )
    path.competences.set([ps1, ps2])
    completion = Completion.objects.create(
        person=world.employee.person,
        path=path,
        completed_at=timezone.now(),
        source=CompletionSource.PATH,
    )
    return ps1, ps2, completion


def test_completing_a_path_meets_the_required_level_of_what_it_develops(world, setup):
    ps1, ps2, completion = setup
    completion_recorded.send(sender=Completion, completion=completion)

    level = CompetenceLevel.objects.get(person=world.employee.person, competence=ps1)
    assert (level.level, level.source) == (3, Source.COURSE)
    assert Assessment.objects.get(person=world.employee.person, competence=ps1).comment == (
        "Fullført: Legemiddelhåndtering"
    )
    # PS2 is developed by the path but not required of the person: no level is invented.
    assert not CompetenceLevel.objects.filter(person=world.employee.person, competence=ps2).exists()

    completion_recorded.send(sender=Completion, completion=completion)  # delivered twice
    assert Assessment.objects.filter(person=world.employee.person).count() == 1


def test_a_higher_assessed_level_is_never_lowered_by_a_course(world, setup):
    ps1, _ps2, completion = setup
    services.record_assessment(world.employee.person_id, ps1, 5, Source.LEADER)
    assert services.record_completion_evidence(completion) == []
    assert CompetenceLevel.objects.get(person=world.employee.person, competence=ps1).level == 5


def test_an_issued_credential_with_a_level_is_evidence_at_that_level(world):
    from laeringsarena.credentials import services as credentials
    from laeringsarena.credentials.tests.factories import AchievementFactory

    health = Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)
    ps1 = health.competences.get(code="PS1")
    achievement = AchievementFactory(issuer=world.alpha, level=4)
    achievement.competences.set([ps1])

    credentials.issue(achievement, world.employee.person)

    level = CompetenceLevel.objects.get(person=world.employee.person, competence=ps1)
    assert (level.level, level.source) == (4, Source.CREDENTIAL)
    assert Assessment.objects.get(person=world.employee.person).comment.startswith("Kompetansebevis:")
