"""``laeringsarena run-jobs``: enqueue the scheduled jobs that are due (for cron), or list them.

The worker does this by itself every 30 seconds; the command is for deployments that prefer
cron or a systemd timer, and for trying a job by hand (``--job NAME`` runs it at once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from laeringsarena.core import scheduling
from laeringsarena.core.models import ScheduledRun


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs that are due; --list shows them, --job NAME runs one at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="List the jobs and their last run")
        parser.add_argument("--job", help="Run this job now, whatever its schedule")
        parser.add_argument("--at", type=_moment, help="Pretend it is this moment (ISO 8601)")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = scheduling.discover()
        moment = options["at"]
        now = (_moment(moment) if isinstance(moment, str) else moment) or timezone.now()
        if options["list"]:
            runs = {run.name: run for run in ScheduledRun.objects.all()}
            for name, job in sorted(jobs.items()):
                run = runs.get(name)
                hourly = job.every == scheduling.Every.HOUR
                when = f":{job.at.minute:02d}" if hourly else job.at.strftime("%H:%M")
                last = timezone.localtime(run.slot).isoformat(timespec="minutes") if run and run.slot else "-"
                status = ("error: " + run.error) if run and run.error else (run.result if run else "")
                self.stdout.write(f"{name:32} every {job.every} {when:6} last slot {last:25} {status}")
            return
        if options["job"]:
            try:
                scheduling.run_now(options["job"], now)
            except KeyError as error:
                raise CommandError(f"No scheduled job called {options['job']!r}; see --list.") from error
            self.stdout.write(f"ran {options['job']}")
            return
        started = scheduling.run_due(now)
        self.stdout.write(("enqueued: " + ", ".join(started)) if started else "nothing due")
