"""Competence listens to learning: completions are evidence for the competences they develop."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from laeringsarena.learning.signals import completion_recorded


@receiver(completion_recorded, dispatch_uid="competence-completion-evidence")
def completion_is_evidence(sender: Any, completion: Any, **kwargs: Any) -> None:
    from laeringsarena.competence import services

    services.record_completion_evidence(completion)
