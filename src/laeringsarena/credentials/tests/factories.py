"""Factories of the credentials app."""

from __future__ import annotations

import factory

from laeringsarena.credentials.models import Achievement, AchievementType


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    slug = factory.Sequence(lambda n: f"prestasjon-{n}")
    name = factory.Sequence(lambda n: f"Legemiddelhåndtering {n}")
    description = "Trygg legemiddelhåndtering i sykehjem."
    criteria = "Fullført e-læring og praktisk oppgave med klarsignal."
    achievement_type = AchievementType.COURSE
