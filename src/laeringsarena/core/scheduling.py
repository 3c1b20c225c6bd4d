"""Scheduled jobs (reminders, digests, escalations): one registry, run by the worker.

An app declares its jobs in ``<app>/jobs.py`` (imported when the registry is first used)::

    from laeringsarena.core.scheduling import Every, scheduled

    @scheduled("learning-reminders", every=Every.DAY, at=dt.time(6, 0))
    def send_reminders(now: dt.datetime) -> None:
        ...

A job receives the moment it runs for, so tests drive it with any clock: call
``run_due(now)`` (or the function itself) with the datetime you want.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

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
    at: dt.time = dt.time(0, 0)
    weekday: int = 0  # Monday; used with Every.WEEK


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
