"""Scheduled jobs run once per slot, through the queue, driven by any clock."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from laeringsarena.core import scheduling
from laeringsarena.core.models import ScheduledRun

OSLO = ZoneInfo("Europe/Oslo")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def calls(monkeypatch):
    """A fresh registry with one daily and one weekly job that record when they ran."""
    seen: list[tuple[str, dt.datetime]] = []
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    monkeypatch.setattr(scheduling, "_discovered", True)
    scheduling.scheduled("daily-test", every=scheduling.Every.DAY, at=dt.time(6, 0))(
        lambda now: seen.append(("daily", now))
    )
    scheduling.scheduled("weekly-test", every=scheduling.Every.WEEK, at=dt.time(7, 0), weekday=0)(
        lambda now: seen.append(("weekly", now))
    )
    return seen


def test_slots_are_the_latest_moment_due_in_oslo_time():
    daily = scheduling.Job("d", print, scheduling.Every.DAY, dt.time(6, 0))
    weekly = scheduling.Job("w", print, scheduling.Every.WEEK, dt.time(7, 0), weekday=0)
    hourly = scheduling.Job("h", print, scheduling.Every.HOUR, dt.time(0, 15))

    assert daily.slot(at(2026, 11, 22, 5, 59)) == at(2026, 11, 21, 6)
    assert daily.slot(at(2026, 11, 22, 6, 0)) == at(2026, 11, 22, 6)
    # 2026-11-22 is a Sunday: the last Monday 07:00 was the 16th; on Monday 23rd before 07 too.
    assert weekly.slot(at(2026, 11, 22, 12)) == at(2026, 11, 16, 7)
    assert weekly.slot(at(2026, 11, 23, 6, 59)) == at(2026, 11, 16, 7)
    assert weekly.slot(at(2026, 11, 23, 7, 0)) == at(2026, 11, 23, 7)
    assert hourly.slot(at(2026, 11, 22, 10, 14)) == at(2026, 11, 22, 9, 15)
    # Across the switch to summer time the job still runs at 06:00 local time.
    assert daily.slot(at(2026, 3, 29, 12)).utcoffset() == dt.timedelta(hours=2)


@pytest.mark.django_db
def test_a_job_runs_once_per_slot_and_catches_up_once(calls):
    assert scheduling.run_due(at(2026, 11, 23, 6, 30)) == ["daily-test", "weekly-test"]
    assert scheduling.run_due(at(2026, 11, 23, 6, 50)) == []  # same slots: nothing again

    # The machine was off for three days: the daily job runs once for the latest slot.
    assert scheduling.run_due(at(2026, 11, 26, 8)) == ["daily-test", "weekly-test"]
    assert scheduling.run_due(at(2026, 11, 27, 8)) == ["daily-test"]
    assert [name for name, _ in calls] == ["daily", "weekly", "daily", "weekly", "daily"]
    assert calls[-1][1] == at(2026, 11, 27, 8)  # the job is told the moment it runs for

    run = ScheduledRun.objects.get(name="daily-test")
    assert run.slot == at(2026, 11, 27, 6)
    assert run.finished_at is not None and run.error == ""


@pytest.mark.django_db
def test_two_schedulers_never_claim_the_same_slot(calls):
    job = scheduling.REGISTRY["daily-test"]
    now = at(2026, 11, 23, 6, 30)
    assert scheduling.claim(job, now) == at(2026, 11, 23, 6)
    assert scheduling.claim(job, now) is None  # the second worker finds it taken


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_does_not_block_the_next_slot(monkeypatch):
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    monkeypatch.setattr(scheduling, "_discovered", True)

    def broken(now: dt.datetime) -> None:
        raise RuntimeError("mail server down")

    scheduling.scheduled("broken", every=scheduling.Every.DAY, at=dt.time(6))(broken)
    assert scheduling.run_due(at(2026, 11, 23, 7)) == ["broken"]  # the queue records the failure
    assert ScheduledRun.objects.get(name="broken").error == "RuntimeError: mail server down"
    assert scheduling.run_due(at(2026, 11, 24, 7)) == ["broken"]  # tried again the next day


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_enqueues_due_jobs_and_runs_them_from_the_queue(calls):
    from django_tasks_db.models import DBTaskResult

    call_command("worker", batch=True, verbosity=0)

    assert {name for name, _ in calls} == {"daily", "weekly"}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


@pytest.mark.django_db
def test_run_jobs_lists_and_runs_a_job_by_hand(calls):
    out = io.StringIO()
    call_command("run_jobs", at="2026-11-23T06:30", stdout=out)
    assert "daily-test" in out.getvalue()

    out = io.StringIO()
    call_command("run_jobs", list=True, stdout=out)
    assert "daily-test" in out.getvalue() and "2026-11-23T06:00" in out.getvalue()

    call_command("run_jobs", job="daily-test", stdout=io.StringIO())
    assert [name for name, _ in calls].count("daily") == 2


def test_the_apps_declare_their_daily_jobs():
    names = set(scheduling.discover())
    assert {"community-daily", "quality-escalate"} <= names
