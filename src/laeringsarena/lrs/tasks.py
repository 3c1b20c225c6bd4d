"""Background tasks of the lrs app (django-tasks).

:func:`dispatch_statements_stored` sends ``lrs.signals.statements_stored`` on the worker, so the
receivers (completions in learning, cmi5's AU status, …) never slow the answer to the client that
posted the statements. It is enqueued by ``services.store_statements`` once the transaction that
stored the statements has committed.
"""

from __future__ import annotations

import json
import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def dispatch_statements_stored(organisation_id: int, statement_ids: list[str]) -> int:
    """Send ``statements_stored`` for these stored statements (in stored order); returns how many.

    The statements are read back from the store in the form the LRS stored them (id, stored,
    authority, version included). A statement voided in the meantime is still sent: it was stored.
    """
    from laeringsarena.lrs.models import Statement
    from laeringsarena.lrs.signals import statements_stored
    from laeringsarena.organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not statement_ids:
        return 0
    payloads = list(
        Statement.objects.filter(organisation=organisation, statement_id__in=statement_ids)
        .order_by("pk")
        .values_list("payload", flat=True)
    )
    statements = [json.loads(payload) for payload in payloads]
    if statements:
        statements_stored.send(sender=Statement, organisation=organisation, statements=statements)
    return len(statements)
