from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig

log = logging.getLogger(__name__)


def _on_statements_stored(
    sender: Any, organisation: Any = None, statements: Any = None, **kwargs: Any
) -> None:
    """Evaluate cmi5 statements after the LRS stored them; never fail the LRS request."""
    from laeringsarena.cmi5 import completion

    if organisation is None or not statements:
        return
    try:
        completion.statements_stored(organisation, list(statements))
    except Exception:
        log.exception("cmi5: evaluating stored statements failed")


class Cmi5Config(AppConfig):
    name = "laeringsarena.cmi5"
    label = "cmi5"
    verbose_name = "cmi5"

    def ready(self) -> None:
        from laeringsarena.lrs.signals import statements_stored

        statements_stored.connect(_on_statements_stored, dispatch_uid="cmi5-statements-stored")
