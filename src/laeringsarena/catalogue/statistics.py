"""Usage statistics for provider editors: views, referral clicks, participants and ratings per
offering per month (bruksstatistikk). Aggregates only; counts that describe people
(participants, ratings) are suppressed below ``permissions.MIN_GROUP_SIZE``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from laeringsarena.accounts.permissions import MIN_GROUP_SIZE
from laeringsarena.catalogue.models import (
    Offering,
    OfferingViewDay,
    Participation,
    Provider,
    Rating,
    RatingStatus,
    ReferralClick,
)


def record_view(offering: Offering) -> None:
    """Count one page view for today (no person is stored)."""
    today = timezone.localdate()
    updated = OfferingViewDay.objects.filter(offering=offering, day=today).update(views=F("views") + 1)
    if not updated:
        _row, created = OfferingViewDay.objects.get_or_create(
            offering=offering, day=today, defaults={"views": 1}
        )
        if not created:
            OfferingViewDay.objects.filter(pk=_row.pk).update(views=F("views") + 1)


@dataclass
class MonthRow:
    offering: Offering
    month: dt.date
    views: int = 0
    clicks: int = 0
    participants: int | None = 0  # None = fewer than MIN_GROUP_SIZE (suppressed)
    ratings: int | None = 0
    average: float | None = None


def provider_usage(provider: Provider, months: int = 12) -> list[MonthRow]:
    """Per offering and month, newest first. The caller has checked the editor's access."""
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    offerings = {o.pk: o for o in Offering.objects.filter(provider=provider)}
    rows: dict[tuple[int, dt.date], MonthRow] = {}

    def row(offering_id: int, month: dt.date | dt.datetime) -> MonthRow:
        day = month.date() if isinstance(month, dt.datetime) else month
        key = (offering_id, day)
        if key not in rows:
            rows[key] = MonthRow(offerings[offering_id], day)
        return rows[key]

    views = (
        OfferingViewDay.objects.filter(offering__provider=provider, day__gte=since)
        .annotate(month=TruncMonth("day"))
        .values("offering_id", "month")
        .annotate(n=Sum("views"))
    )
    for item in views:
        row(item["offering_id"], item["month"]).views = item["n"]
    clicks = (
        ReferralClick.objects.filter(offering__provider=provider, clicked_at__date__gte=since)
        .annotate(month=TruncMonth("clicked_at"))
        .values("offering_id", "month")
        .annotate(n=Count("pk"))
    )
    for item in clicks:
        row(item["offering_id"], item["month"]).clicks = item["n"]
    people = (
        Participation.objects.filter(offering__provider=provider, at__date__gte=since)
        .annotate(month=TruncMonth("at"))
        .values("offering_id", "month")
        .annotate(n=Count("person_id", distinct=True))
    )
    for item in people:
        row(item["offering_id"], item["month"]).participants = _suppressed(item["n"])
    ratings = (
        Rating.objects.filter(
            offering__provider=provider, updated_at__date__gte=since, status=RatingStatus.VISIBLE
        )
        .annotate(month=TruncMonth("updated_at"))
        .values("offering_id", "month")
        .annotate(n=Count("pk"), avg=Avg("stars"))
    )
    for item in ratings:
        target = row(item["offering_id"], item["month"])
        target.ratings = _suppressed(item["n"])
        target.average = round(float(item["avg"]), 1) if target.ratings is not None else None
    by_month: dict[dt.date, list[MonthRow]] = defaultdict(list)
    for value in rows.values():
        by_month[value.month].append(value)
    return [
        r
        for month in sorted(by_month, reverse=True)
        for r in sorted(by_month[month], key=lambda r: r.offering.title)
    ]


def _suppressed(count: int) -> int | None:
    return count if count >= MIN_GROUP_SIZE else None
