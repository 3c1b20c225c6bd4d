"""Background work goes through the database queue and the worker sends it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from laeringsarena.core.tasks import notify

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_notification_waits_in_the_queue_until_the_worker_sends_it():
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        notify(["leder@example.no", "", "leder@example.no"], "Nytt avvik", "Et avvik venter på deg.")
        assert DBTaskResult.objects.count() == 0  # nothing is queued before the commit

    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []

    call_command("worker", batch=True, verbosity=0)

    assert [m.to for m in mail.outbox] == [["leder@example.no"]]
    assert mail.outbox[0].subject == "Nytt avvik"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_rolled_back_change_sends_nothing():
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(["leder@example.no"], "Nytt avvik", "…")
        raise RuntimeError("the change failed")

    assert DBTaskResult.objects.count() == 0
