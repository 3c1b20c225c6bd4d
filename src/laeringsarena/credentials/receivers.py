"""Issue credentials when the learning app records a completion that grants an achievement."""

from __future__ import annotations

import importlib.util
from typing import Any


def completion_recorded(sender: Any, completion: Any, **kwargs: Any) -> None:
    from laeringsarena.credentials import services

    services.on_completion(completion)


def connect() -> None:
    if importlib.util.find_spec("laeringsarena.learning.signals") is None:
        return
    from laeringsarena.learning import signals

    signals.completion_recorded.connect(completion_recorded, dispatch_uid="credentials.completion_recorded")
