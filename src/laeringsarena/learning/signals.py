"""Signals other apps listen to (credentials issues badges, guidance learns from history).

``completion_recorded`` is sent after the transaction commits, with ``completion=<Completion>``,
whenever a path or a catalogue offering is completed — never for single steps. Receivers must be
idempotent: the same completion is never sent twice, but a receiver may be called again after a
crash between commit and delivery is retried.
"""

from __future__ import annotations

import django.dispatch

completion_recorded = django.dispatch.Signal()
