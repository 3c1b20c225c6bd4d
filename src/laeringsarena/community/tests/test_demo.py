"""The community demo: deterministic, idempotent, and showing what the issue asks for."""

from __future__ import annotations

import pytest

import laeringsarena.demo.services as demo_services
from laeringsarena.community import demo
from laeringsarena.community.models import (
    ExchangePosting,
    Group,
    GroupKind,
    Meeting,
    MeetingKind,
    Membership,
    Reflection,
)


@pytest.fixture
def population(db, monkeypatch):
    monkeypatch.setattr(demo_services, "DEMO_APPS", ())  # only the people; community loads below
    demo_services.load_demo()


def test_the_demo_has_active_and_dormant_groups_and_a_regional_leader_network(population):
    demo.load()

    kinds = set(Group.objects.values_list("kind", flat=True))
    assert kinds == {GroupKind.GUIDANCE, GroupKind.UNIT_TEAM, GroupKind.NETWORK, GroupKind.REGIONAL}
    assert Group.objects.filter(needs_coordinator=True).count() == 1  # the dormant one
    network = Group.objects.get(kind=GroupKind.REGIONAL)
    tenants = set(
        Membership.objects.filter(group=network).values_list(
            "person__employments__organisation__slug", flat=True
        )
    )
    assert {"fjordvik", "nordoy"} <= tenants
    fagdag = Meeting.objects.get(group=network, kind=MeetingKind.PROFESSIONAL_DAY)
    assert fagdag.agenda and fagdag.minutes
    assert Reflection.objects.filter(shared_group__isnull=True, shared_with_leader=False).exists()
    assert ExchangePosting.objects.count() >= 3


def test_loading_twice_changes_nothing(population):
    demo.load()
    counts = (
        Group.objects.count(),
        Reflection.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
    )
    demo.load()
    assert counts == (
        Group.objects.count(),
        Reflection.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
    )
