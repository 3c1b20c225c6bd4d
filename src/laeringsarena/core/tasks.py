"""Background tasks shared by every app (django-tasks; the same API as Django 6's ``django.tasks``).

Tasks are queued in the database and run by ``laeringsarena worker``. Apps send e-mail through
:func:`notify`, which queues the message only once the surrounding transaction has committed,
so a rolled-back change never sends mail and a slow mail server never slows a request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_email(recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; returns the number of messages sent."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def notify(recipients: list[str], subject: str, body: str) -> None:
    """Queue an e-mail to be sent after the current transaction commits."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    transaction.on_commit(lambda: send_email.enqueue(addresses, str(subject), str(body)))
