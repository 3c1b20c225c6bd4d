"""Platform-wide bookkeeping that belongs to no domain app."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    """The last slot each scheduled job was claimed for (see :mod:`laeringsarena.core.scheduling`)."""

    name = models.CharField(max_length=100, unique=True)
    slot = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot}"
