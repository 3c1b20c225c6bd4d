"""Test helpers: a published path with steps of every kind, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from laeringsarena.accounts.models import User
from laeringsarena.competence.models import CertificationRequirement
from laeringsarena.learning import services
from laeringsarena.learning.models import LearningPath, Module, PathStatus, QuestionKind, Step, StepKind
from laeringsarena.learning.services import PageSpec, QuestionSpec
from laeringsarena.organisations.models import Organisation


def quiz_module(
    user: User, tenant: Organisation, *, free_text: bool = False, pass_mark: float = 0.75
) -> Module:
    questions = [
        QuestionSpec(
            QuestionKind.SINGLE, "Hvor lenge skal du vaske hendene?", ["5 sek", "30 sek", "2 min"], [1]
        ),
        QuestionSpec(
            QuestionKind.MULTIPLE,
            "Når skal du sprite hendene?",
            ["Før pasientkontakt", "Etter", "Aldri"],
            [0, 1],
        ),
        QuestionSpec(QuestionKind.TRUE_FALSE, "Hansker erstatter håndhygiene.", [], [False]),
        QuestionSpec(QuestionKind.ORDERING, "Sett i rekkefølge", ["Vask", "Skyll", "Tørk"], []),
    ]
    if free_text:
        questions.append(
            QuestionSpec(
                QuestionKind.FREE_TEXT, "Beskriv en situasjon der du brøt smittekjeden.", [], [], points=2
            )
        )
    return services.create_module(
        user,
        tenant,
        title="Håndhygiene",
        pass_mark=pass_mark,
        pages=[
            PageSpec("Hvorfor håndhygiene", "Hendene er den viktigste smitteveien."),
            PageSpec(
                "Se filmen",
                kind="video",
                video_url="https://example.org/film",
                video_caption="Film om hygiene",
            ),
            PageSpec("Quiz", questions=questions),
        ],
    )


@dataclass
class PathWorld:
    path: LearningPath
    module_step: Step
    gathering: Step
    practical: Step
    reflection: Step


def blended_path(
    user: User,
    tenant: Organisation,
    *,
    requirement: CertificationRequirement | None = None,
    free_text: bool = False,
    slug: str = "smittevern",
) -> PathWorld:
    path = services.create_path(
        user,
        tenant,
        title="Smittevern",
        slug=slug,
        grants_certification_id=requirement.pk if requirement else None,
        default_due_days=30,
    )
    module = quiz_module(user, tenant, free_text=free_text)
    module_step = services.add_step(
        user, path, kind=StepKind.MODULE, title="Håndhygiene", module=module, gated=True
    )
    gathering = services.add_step(
        user,
        path,
        kind=StepKind.GATHERING,
        title="Samling",
        starts_at=dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.UTC),
        place="Møterommet",
    )
    practical = services.add_step(user, path, kind=StepKind.PRACTICAL, title="Praktisk smittevern")
    reflection = services.add_step(
        user, path, kind=StepKind.REFLECTION, title="Refleksjon", description="Hva lærte du?"
    )
    services.set_status(user, path, PathStatus.PUBLISHED)
    return PathWorld(path, module_step, gathering, practical, reflection)


RIGHT = {0: "1", 1: ["0", "1"], 2: "false", 3: ["0", "1", "2"]}
