"""The credentials demo: realistic accounts for every demo employee, idempotent."""

from __future__ import annotations

import time

from laeringsarena.accounts.models import User
from laeringsarena.credentials import demo, selectors, services
from laeringsarena.credentials.models import IssuedCredential
from laeringsarena.demo.services import load_demo
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment


def test_demo_accounts(db, terminal_notes):
    load_demo()
    employee = User.objects.get(email="ansatt@fjordvik.demo").person
    credentials = selectors.credentials_for(employee)
    assert {c.status for c in credentials} == {"valid", "expired"}
    assert {c.achievement.issuer.slug for c in credentials} == {"fjordvik", "nordoy"}
    assert selectors.shares_for(employee)[0].is_active
    revoked = IssuedCredential.objects.get(
        revoked_at__isnull=False, person__user__email="ansatt2@fjordvik.demo"
    )
    assert {e["code"] for e in services.verify(revoked.document).errors} == {"revoked"}
    assert all(services.verify(c.document).verified for c in credentials if c.status == "valid")
    # Every demo employee has an account with real, verifiable credentials; some from the other
    # municipality, some expired, some revoked, and those their completed paths grant.
    employees = set(Employment.objects.values_list("person_id", flat=True))
    holders = set(IssuedCredential.objects.values_list("person_id", flat=True))
    assert employees and employees <= holders
    statuses = [c.status for c in IssuedCredential.objects.select_related("achievement")]
    assert {"valid", "expired", "revoked"} <= set(statuses)
    assert statuses.count("valid") > len(statuses) / 2
    assert IssuedCredential.objects.filter(source__startswith="completion:").exists()
    fjordvik = Organisation.objects.get(slug="fjordvik")
    fjordvik_people = Employment.objects.filter(organisation__path__startswith=fjordvik.path).values(
        "person_id"
    )
    assert (
        IssuedCredential.objects.filter(person_id__in=fjordvik_people, achievement__issuer__slug="nordoy")
        .values("person_id")
        .distinct()
        .count()
        > 5
    )
    other = IssuedCredential.objects.filter(source__startswith="demo-account").order_by("pk")[200]
    assert services.verify(other.document).verified or other.status != "valid"
    count = IssuedCredential.objects.count()
    started = time.perf_counter()
    demo.load()
    terminal_notes.append(f"credentials demo.load() again: {time.perf_counter() - started:.2f} s")
    assert IssuedCredential.objects.count() == count
