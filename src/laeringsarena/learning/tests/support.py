from __future__ import annotations

from typing import Any

from laeringsarena.learning.models import Attempt, Question


def answers(
    attempt: Attempt, *, right: bool = True, free_text: str = "Jeg tok på pasienten uten å sprite hendene."
) -> dict[int, Any]:
    """Responses to every question of the run's module: all right, or all wrong."""
    result: dict[int, Any] = {}
    questions = Question.objects.filter(page__module=attempt.step.module).order_by("page__order", "order")
    for question in questions:
        if question.kind == "single":
            result[question.pk] = (
                question.correct[0] if right else (question.correct[0] + 1) % len(question.options)
            )
        elif question.kind == "multiple":
            result[question.pk] = question.correct if right else [2]
        elif question.kind == "true_false":
            result[question.pk] = (
                str(question.correct[0]).lower() if right else str(not question.correct[0]).lower()
            )
        elif question.kind == "ordering":
            order = list(range(len(question.options)))
            result[question.pk] = order if right else list(reversed(order))
        else:
            result[question.pk] = free_text
    return result
