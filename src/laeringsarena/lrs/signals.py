"""Signals of the lrs app.

``statements_stored`` is sent after the transaction that stored statements commits, from the task
queue (``tasks.dispatch_statements_stored``, enqueued on commit; the LRS answers first), with
``organisation=<Organisation>`` and ``statements=<list[dict]>`` (the stored form: id, stored,
authority, version included), however the statements arrived (HTTP or ``record_statements``).
Receivers must be idempotent.
"""

from __future__ import annotations

from django.dispatch import Signal

statements_stored = Signal()
