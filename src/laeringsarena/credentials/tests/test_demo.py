"""The credentials demo: realistic accounts for the demo logins, idempotent."""

from __future__ import annotations

import time

from laeringsarena.accounts.models import User
from laeringsarena.credentials import demo, selectors, services
from laeringsarena.credentials.models import IssuedCredential
from laeringsarena.demo.services import load_demo


def test_demo_accounts(db, terminal_notes):
    load_demo()
    employee = User.objects.get(email="ansatt@fjordvik.demo").person
    credentials = selectors.credentials_for(employee)
    assert {c.status for c in credentials} == {"valid", "expired"}
    assert {c.achievement.issuer.slug for c in credentials} == {"fjordvik", "nordoy"}
    assert selectors.shares_for(employee)[0].is_active
    revoked = IssuedCredential.objects.get(revoked_at__isnull=False)
    assert {e["code"] for e in services.verify(revoked.document).errors} == {"revoked"}
    assert all(services.verify(c.document).verified for c in credentials if c.status == "valid")
    count = IssuedCredential.objects.count()
    started = time.perf_counter()
    demo.load()
    terminal_notes.append(f"credentials demo.load() again: {time.perf_counter() - started:.2f} s")
    assert IssuedCredential.objects.count() == count
