"""Competence listens to learning and credentials: completions and issued credentials are
evidence for the competences they develop or attest."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from laeringsarena.learning.signals import completion_recorded


@receiver(completion_recorded, dispatch_uid="competence-completion-evidence")
def completion_is_evidence(sender: Any, completion: Any, **kwargs: Any) -> None:
    from laeringsarena.competence import services

    services.record_completion_evidence(completion)


@receiver(post_save, sender="credentials.IssuedCredential", dispatch_uid="competence-credential-evidence")
def credential_is_evidence(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from laeringsarena.competence import services

        services.record_credential_evidence(instance.person_id, instance.achievement)
