"""The community listens to learning: a completed course invites the person to pass it on."""

from __future__ import annotations

from typing import Any


def completion_invites_to_pass_it_on(sender: Any, completion: Any, **kwargs: Any) -> None:
    from laeringsarena.community import pass_it_on

    pass_it_on.invite_after_completion(completion)
