"""Demo data for competence: requirements, profiles and two completed mapping campaigns.

Fjordvik's helse og omsorg sector gets requirements from the health-and-care framework per
position (helsefagarbeider, sykepleier, assistent, leaders) and mandatory certifications (HLR
every 12 months, legemiddelhåndtering every 24). Fjordvik sykehjem (with its two wards) and
Hjemmetjenesten nord have each run a completed campaign with self- and leader assessments that
spread realistically around the requirements. ``ansatt@fjordvik.demo`` has a full profile.
Idempotent: nothing is added when the first campaign exists. Bulk inserts keep it fast.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.competence.frameworks import ensure_shipped
from laeringsarena.competence.models import (
    Assessment,
    Campaign,
    CampaignStatus,
    Certification,
    CertificationRequirement,
    CompetenceLevel,
    CompetenceRequirement,
    Education,
    EducationLevel,
    Framework,
    Participant,
    PriorLearning,
    PulseParticipation,
    PulseResponse,
    PulseSurvey,
    Source,
)
from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.people.models import Employment

SEED = "laeringsarena-competence-demo-1"
CAMPAIGN_NAME = "Kompetansekartlegging helse og omsorg"

# position code → {competence code: required level}
REQUIREMENTS: dict[str, dict[str, int]] = {
    "5321": {
        "PS1": 3,
        "PS2": 3,
        "PS3": 3,
        "PS4": 3,
        "FP1": 2,
        "FP2": 3,
        "FP3": 3,
        "TK1": 2,
    },  # helsefagarbeider
    "2223": {"PS1": 4, "PS2": 3, "PS3": 4, "PS4": 3, "FP1": 3, "FP2": 4, "FP3": 3, "TK1": 3},  # sykepleier
    "5329": {"PS2": 2, "PS4": 3, "FP2": 2, "FP3": 2, "TK2": 3},  # assistent
    "1349": {"LS1": 4, "PS4": 4},  # enhetsleder
    "1343": {"LS1": 3, "PS4": 4},  # avdelingsleder
}
CAMPAIGN_COMPETENCES = ["PS1", "PS2", "PS3", "PS4", "FP1", "FP2", "FP3", "TK1"]
CAMPAIGN_UNITS = ("fjordvik-sykehjem", "hjemmetjenesten-nord")
# Typical level around which a position's people spread.
TYPICAL = {"2223": 3.6, "5321": 2.8, "5329": 1.9}


def load() -> None:
    tenant = Organisation.objects.filter(slug="fjordvik", kind="municipality").first()
    if tenant is None:
        return
    ensure_shipped()
    if not Campaign.objects.filter(tenant=tenant, name__startswith=CAMPAIGN_NAME).exists():
        with transaction.atomic():
            _load(tenant)
    if not PulseSurvey.objects.filter(tenant=tenant).exists():
        with transaction.atomic():
            _pulse(tenant)


def _pulse(tenant: Organisation) -> None:
    """A closed pulse survey for helse og omsorg with answers, and an open one for the nursing home."""
    from laeringsarena.competence.pulse import CLIMATE, SITUATIONS

    rng = random.Random(f"{SEED}:pulse")  # noqa: S311 - deterministic demo data
    today = timezone.localdate()
    sector = Organisation.objects.get(tenant=tenant, slug="helse-og-omsorg")
    home = Organisation.objects.get(tenant=tenant, slug="fjordvik-sykehjem")
    closed = PulseSurvey.objects.create(
        tenant=tenant,
        organisation=sector,
        title="Læring i jobben – helse og omsorg",
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=46),
    )
    PulseSurvey.objects.create(
        tenant=tenant,
        organisation=home,
        title="Læring i jobben – Fjordvik sykehjem",
        opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=12),
    )
    rows = (
        Employment.objects.active(today)
        .filter(unit__path__startswith=sector.path)
        .order_by("person_id", "-percentage")
        .values_list("person_id", "unit_id", "position__code", "percentage")
    )
    seen: dict[int, tuple[int, str, Any]] = {}
    for person_id, unit_id, code, percentage in rows:
        seen.setdefault(person_id, (unit_id, code, percentage))
    responses, participations = [], []
    keys = [k for k, _q in SITUATIONS]
    for person_id, (unit_id, code, percentage) in seen.items():
        if rng.random() > 0.7:
            continue
        # Nurses and full-timers report more learning situations than part-time assistants.
        chance = 0.35 + (0.2 if code == "2223" else 0) + (0.1 if percentage >= 80 else -0.1)
        situations = {k: rng.random() < chance for k in keys}
        climate = {k: rng.choice((1, 2, 2, 3)) for k, _s in CLIMATE}
        responses.append(
            PulseResponse(
                survey=closed,
                unit_id=unit_id,
                situations=situations,
                climate=climate,
                score=sum(situations.values()),
            )
        )
        participations.append(PulseParticipation(survey=closed, person_id=person_id))
    PulseResponse.objects.bulk_create(responses)
    PulseParticipation.objects.bulk_create(participations)


def _load(tenant: Organisation) -> None:
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data
    today = timezone.localdate()
    health = Framework.objects.get(slug="helse-og-omsorg", version="1.0", owner__isnull=True)
    competences = {c.code: c for c in health.competences.all()}
    sector = Organisation.objects.get(tenant=tenant, slug="helse-og-omsorg")
    positions = {p.code: p for p in Position.objects.filter(code__in=REQUIREMENTS)}
    CompetenceRequirement.objects.bulk_create(
        CompetenceRequirement(
            tenant=tenant,
            organisation=sector,
            position=positions[code],
            competence=competences[c],
            required_level=level,
        )
        for code, needed in REQUIREMENTS.items()
        if code in positions
        for c, level in needed.items()
    )
    hlr = CertificationRequirement.objects.create(
        tenant=tenant,
        organisation=sector,
        name="Førstehjelp og HLR",
        competence=competences["FP2"],
        validity_months=12,
    )
    medicines = [
        CertificationRequirement.objects.create(
            tenant=tenant,
            organisation=sector,
            position=positions[code],
            name="Legemiddelhåndtering",
            competence=competences["PS1"],
            validity_months=24,
        )
        for code in ("5321", "2223")
        if code in positions
    ]
    leader = User.objects.filter(email="leder@fjordvik.demo").first()
    leader_person_id = leader.person_id if leader else None
    assessments: list[Assessment] = []
    levels: list[CompetenceLevel] = []
    certifications: list[Certification] = []
    for index, slug in enumerate(CAMPAIGN_UNITS):
        unit = Organisation.objects.get(tenant=tenant, slug=slug)
        started = today - dt.timedelta(days=70 + 20 * index)
        campaign = Campaign.objects.create(
            tenant=tenant,
            organisation=unit,
            framework=health,
            name=f"{CAMPAIGN_NAME} {started.year} – {unit.name}",
            status=CampaignStatus.CLOSED,
            self_deadline=started + dt.timedelta(days=14),
            leader_deadline=started + dt.timedelta(days=30),
            created_by_id=leader_person_id,
            closed_at=timezone.make_aware(dt.datetime.combine(started + dt.timedelta(days=32), dt.time(15))),
        )
        Campaign.objects.filter(pk=campaign.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(started, dt.time(9)))
        )
        campaign.competences.set([competences[c] for c in CAMPAIGN_COMPETENCES])
        rows = (
            Employment.objects.active(today)
            .filter(unit__path__startswith=unit.path)
            .order_by("person_id", "-percentage")
            .values_list("person_id", "unit_id", "position__code")
        )
        seen: dict[int, tuple[int, str]] = {}
        for person_id, unit_id, code in rows:
            seen.setdefault(person_id, (unit_id, code))
        participants = []
        for person_id, (unit_id, code) in seen.items():
            answered = rng.random() < 0.9  # about nine in ten answer the self-assessment
            self_at = timezone.make_aware(
                dt.datetime.combine(started + dt.timedelta(days=rng.randint(1, 13)), dt.time(20))
            )
            leader_at = timezone.make_aware(
                dt.datetime.combine(started + dt.timedelta(days=rng.randint(15, 29)), dt.time(11))
            )
            participants.append(
                Participant(
                    campaign=campaign,
                    person_id=person_id,
                    unit_id=unit_id,
                    self_done_at=self_at if answered else None,
                    leader_done_at=leader_at,
                )
            )
            typical = TYPICAL.get(code, 2.5)
            for c_code in CAMPAIGN_COMPETENCES:
                competence = competences[c_code]
                leader_level = max(1, min(5, round(rng.gauss(typical, 0.8))))
                self_level = (
                    max(1, min(5, leader_level + rng.choice((-1, 0, 0, 0, 1, 1)))) if answered else None
                )
                if self_level is not None:
                    assessments.append(
                        Assessment(
                            person_id=person_id,
                            competence=competence,
                            level=self_level,
                            source=Source.SELF,
                            assessed_on=self_at.date(),
                            campaign=campaign,
                        )
                    )
                assessments.append(
                    Assessment(
                        person_id=person_id,
                        competence=competence,
                        level=leader_level,
                        source=Source.LEADER,
                        assessed_on=leader_at.date(),
                        campaign=campaign,
                        assessed_by_id=leader_person_id,
                    )
                )
                levels.append(
                    CompetenceLevel(
                        person_id=person_id,
                        competence=competence,
                        level=leader_level,
                        source=Source.LEADER,
                        assessed_on=leader_at.date(),
                        self_level=self_level,
                    )
                )
            # HLR: most are valid, some expire soon, a few have lapsed.
            issued = today - dt.timedelta(days=rng.choice((30, 90, 200, 300, 340, 350, 380, 420)))
            certifications.append(
                Certification(
                    person_id=person_id,
                    name="Førstehjelp og HLR",
                    issuer="Fjordvik kommune",
                    issued_on=issued,
                    expires_on=issued + dt.timedelta(days=365),
                    requirement=hlr,
                )
            )
        Participant.objects.bulk_create(participants)
    Assessment.objects.bulk_create(assessments)
    CompetenceLevel.objects.bulk_create(levels, ignore_conflicts=True)
    Certification.objects.bulk_create(certifications)
    _profile(tenant, today, medicines)


def _profile(tenant: Organisation, today: dt.date, medicines: list[CertificationRequirement]) -> None:
    user = User.objects.filter(email="ansatt@fjordvik.demo").first()
    if user is None or user.person_id is None:
        return
    person_id = user.person_id
    Education.objects.bulk_create(
        [
            Education(
                person_id=person_id,
                level=EducationLevel.TRADE_CERTIFICATE,
                field="Helsearbeiderfaget",
                institution="Fjordvik videregående skole",
                completed_year=today.year - 9,
            ),
            Education(
                person_id=person_id,
                level=EducationLevel.VOCATIONAL,
                field="Demensomsorg og alderspsykiatri",
                institution="Fagskolen Vestland",
                completed_year=today.year - 3,
                credits=60,
            ),
        ]
    )
    if medicines:
        Certification.objects.create(
            person_id=person_id,
            name="Legemiddelhåndtering",
            issuer="Fjordvik kommune",
            issued_on=today - dt.timedelta(days=400),
            expires_on=today - dt.timedelta(days=400) + dt.timedelta(days=730),
            requirement=medicines[0],
        )
    PriorLearning.objects.create(
        person_id=person_id,
        description="Ti års erfaring som pårørende og avlaster for person med demens; pårørendeskole.",
        evidence="Attest fra pårørendeskolen, Fjordvik kommune",
        competence=Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True).competences.get(
            code="FP1"
        ),
        recorded_on=today - dt.timedelta(days=200),
    )
