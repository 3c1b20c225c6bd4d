"""Scheduled jobs (reminders, digests, escalations): one registry, run through the task queue.

An app declares its jobs in ``<app>/jobs.py`` (imported when the registry is first used)::

    from laeringsarena.core.scheduling import Every, scheduled

    @scheduled("learning-reminders", every=Every.DAY, at=dt.time(6, 0))
    def send_reminders(now: dt.datetime) -> None:
        ...

Every job has *slots*: the moments it should run (each day at 06:00 Oslo time, each Monday at
07:00, …). :func:`run_due` claims the latest slot that has passed with one conditional UPDATE,
so two workers, or a worker and a cron ``laeringsarena run-jobs``, never run the same slot twice,
on SQLite and PostgreSQL alike. A slot missed while nothing was running is caught up once, not
once per missed slot. The claimed job is enqueued on the task queue (django-tasks), so the
worker runs it with the same retries, logging and result storage as any other background work.

A job receives the moment it runs for, so tests drive it with any clock: call ``run_due(now)``
(or the function itself) with the datetime you want.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

JobFunction = Callable[[dt.datetime], object]


class Every(enum.StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class Job:
    name: str
    function: JobFunction
    every: Every
    at: dt.time = dt.time(0, 0)  # minute past the hour for HOUR; local time of day otherwise
    weekday: int = 0  # Monday; used with Every.WEEK

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The latest moment at or before ``now`` when this job should have run (aware, local)."""
        local = timezone.localtime(now)
        if self.every == Every.HOUR:
            candidate = local.replace(minute=self.at.minute, second=0, microsecond=0)
            if candidate > local:
                candidate -= dt.timedelta(hours=1)
            return candidate
        day = local.date()
        if self.every == Every.WEEK:
            day -= dt.timedelta(days=(day.weekday() - self.weekday) % 7)
        candidate = timezone.make_aware(dt.datetime.combine(day, self.at))
        if candidate > local:
            candidate = timezone.make_aware(
                dt.datetime.combine(day - dt.timedelta(days=7 if self.every == Every.WEEK else 1), self.at)
            )
        return candidate


REGISTRY: dict[str, Job] = {}
_discovered = False


def scheduled(
    name: str, *, every: Every, at: dt.time = dt.time(0, 0), weekday: int = 0
) -> Callable[[JobFunction], JobFunction]:
    """Register ``function`` as the job ``name``."""

    def register(function: JobFunction) -> JobFunction:
        REGISTRY[name] = Job(name, function, every, at, weekday)
        return function

    return register


def discover() -> dict[str, Job]:
    """Import every installed app's ``jobs`` module once; return the registry."""
    global _discovered
    if not _discovered:
        for config in apps.get_app_configs():
            if config.name.startswith("laeringsarena."):
                try:
                    importlib.import_module(f"{config.name}.jobs")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.jobs":
                        raise
        _discovered = True
    return REGISTRY


def claim(job: Job, now: dt.datetime) -> dt.datetime | None:
    """Claim the job's current slot; returns it, or None when it already ran (or is running)."""
    from laeringsarena.core.models import ScheduledRun

    slot = job.slot(now)
    ScheduledRun.objects.get_or_create(name=job.name)
    claimed = (
        ScheduledRun.objects.filter(name=job.name)
        .filter(Q(slot__isnull=True) | Q(slot__lt=slot))
        .update(slot=slot, claimed_at=timezone.now())
    )
    return slot if claimed else None


def run_due(now: dt.datetime | None = None, *, only: str | None = None) -> list[str]:
    """Enqueue every job whose current slot has not run yet; returns their names."""
    now = now or timezone.now()
    started: list[str] = []
    for name, job in sorted(discover().items()):
        if only and name != only:
            continue
        if claim(job, now) is not None:
            run_job.enqueue(name, now.isoformat())
            started.append(name)
    return started


def run_now(name: str, now: dt.datetime | None = None) -> None:
    """Run one job at once, whatever its slot (``laeringsarena run-jobs --job NAME``)."""
    jobs = discover()
    if name not in jobs:
        raise KeyError(name)
    run_job.call(name, (now or timezone.now()).isoformat())


@task()
def run_job(name: str, now_iso: str) -> str:
    """Run a scheduled job on the worker and remember how it went."""
    from laeringsarena.core.models import ScheduledRun

    job = discover()[name]
    now = dt.datetime.fromisoformat(now_iso)
    try:
        result = job.function(now)
    except Exception as error:
        ScheduledRun.objects.filter(name=name).update(
            finished_at=timezone.now(), result="", error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.exception("scheduled job %s failed", name)
        raise
    text = "" if result is None else str(result)[:2000]
    ScheduledRun.objects.filter(name=name).update(finished_at=timezone.now(), result=text, error="")
    return text
