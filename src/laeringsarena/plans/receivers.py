"""Plans listen to learning: a completed offering finishes the plan items that named it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from laeringsarena.learning.signals import completion_recorded


@receiver(completion_recorded, dispatch_uid="plans-completion-finishes-items")
def completion_finishes_plan_items(sender: Any, completion: Any, **kwargs: Any) -> None:
    from laeringsarena.plans import services

    services.record_completion(completion)
