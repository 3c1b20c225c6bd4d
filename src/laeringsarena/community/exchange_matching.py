"""Matching job-exchange postings by position and competences, and recording an agreed exchange
as learning in the development plans of the people taking part.

An offer teaches the competences it names or, when it names none, what the competence
requirements (kompetansekrav) ask of that position in the host unit. A wish wants the
competences it names plus the author's own gaps: requirements of their job where their current
level (``competence.CompetenceLevel``) is below the required level. A candidate matches when it
is for the same position or when what is taught meets what is wanted; the best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from laeringsarena.community.models import ExchangeAgreement, ExchangeKind, ExchangeMode, ExchangePosting

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser
    from laeringsarena.competence.models import Competence


def _ancestor_paths(path: str) -> set[str]:
    parts = path.strip("/").split("/")
    return {"/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)}


def taught(posting: ExchangePosting) -> set[int]:
    """Competence ids an offer teaches."""
    named = {c.pk for c in posting.competences.all()}
    if named:
        return named
    from laeringsarena.competence.models import CompetenceRequirement

    where = (
        Q(tenant_id=posting.tenant_id)
        & (Q(organisation__isnull=True) | Q(organisation__path__in=_ancestor_paths(posting.unit.path)))
        & (Q(position__isnull=True) | Q(position_id=posting.position_id))
    )
    return set(CompetenceRequirement.objects.filter(where).values_list("competence_id", flat=True))


def wanted(posting: ExchangePosting) -> set[int]:
    """Competence ids a wish wants: named ones plus the author's gaps against their requirements."""
    from laeringsarena.competence.models import CompetenceLevel
    from laeringsarena.competence.selectors import requirements_for

    named = {c.pk for c in posting.competences.all()}
    required, _certifications = requirements_for(posting.author_id)
    levels = dict(
        CompetenceLevel.objects.filter(person_id=posting.author_id).values_list("competence_id", "level")
    )
    gaps = {competence.pk for competence, level in required if levels.get(competence.pk, 0) < level}
    return named | gaps


@dataclass
class Match:
    posting: ExchangePosting
    same_position: bool
    shared: list[Competence] = field(default_factory=list)

    @property
    def score(self) -> int:
        return (3 if self.same_position else 0) + len(self.shared)

    @property
    def reasons(self) -> list[str]:
        found = [_("Samme stilling")] if self.same_position else []
        if self.shared:
            found.append(_("Kompetanse: %(names)s") % {"names": ", ".join(c.name for c in self.shared)})
        return found


def rank(posting: ExchangePosting, candidates: list[ExchangePosting]) -> list[Match]:
    """The candidates that match ``posting``, best first."""
    from laeringsarena.competence.models import Competence

    def teaches_wants(offer: ExchangePosting, wish: ExchangePosting) -> set[int]:
        return taught(offer) & wanted(wish)

    found: list[Match] = []
    for candidate in candidates:
        offer, wish = (posting, candidate) if posting.kind == ExchangeKind.OFFER else (candidate, posting)
        shared = teaches_wants(offer, wish)
        same = candidate.position_id == posting.position_id
        if same or shared:
            found.append(
                Match(candidate, same, list(Competence.objects.filter(pk__in=shared).order_by("name")))
            )
    return sorted(found, key=lambda m: (-m.score, -m.posting.created_at.timestamp(), m.posting.pk))


def record_in_plans(user: AnyUser, agreement: ExchangeAgreement) -> None:
    """Both leaders agreed: a job-exchange item in the plan of the person going (the wish's
    author) and, for a two-way exchange (jobbytte), of the offer's author going the other way.
    ``user`` is the leader whose agreement completed it (recorded as who planned the items).
    Idempotent (the item ids are kept on the agreement)."""
    from laeringsarena.plans import services as plans
    from laeringsarena.plans.models import ItemKind

    offer, wish = agreement.offer, agreement.wish
    changed: list[str] = []
    goal = _("%(mode)s i %(days)s dager, avtalt av begge lederne.\n\n%(text)s")
    if agreement.wish_plan_item_id is None:
        item = plans.add_item(
            user,
            wish.author,
            kind=ItemKind.JOB_EXCHANGE,
            title=_("%(mode)s: %(position)s ved %(unit)s")
            % {"mode": offer.get_mode_display(), "position": offer.position.name, "unit": offer.unit.name},
            goal=goal % {"mode": offer.get_mode_display(), "days": offer.days, "text": offer.description},
        )
        agreement.wish_plan_item_id = item.pk
        changed.append("wish_plan_item_id")
    if offer.mode == ExchangeMode.EXCHANGE and agreement.offer_plan_item_id is None:
        item = plans.add_item(
            user,
            offer.author,
            kind=ItemKind.JOB_EXCHANGE,
            title=_("%(mode)s: %(position)s ved %(unit)s")
            % {"mode": offer.get_mode_display(), "position": wish.position.name, "unit": wish.unit.name},
            goal=goal % {"mode": offer.get_mode_display(), "days": offer.days, "text": wish.description},
        )
        agreement.offer_plan_item_id = item.pk
        changed.append("offer_plan_item_id")
    if changed:
        agreement.save(update_fields=changed)
