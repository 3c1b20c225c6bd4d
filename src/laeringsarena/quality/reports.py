"""Deviation statistics: distribution by category, unit, severity and month; time to close.

Leaders see their own subtrees; HR and quality coordinators the whole municipality; union
representatives and safety delegates HMS categories only, with counts under
``MIN_GROUP_SIZE`` suppressed. No row ever names a reporter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter
from typing import Any

from django.db.models import Q
from django.utils import timezone

from laeringsarena.accounts.permissions import MIN_GROUP_SIZE
from laeringsarena.organisations.models import Organisation
from laeringsarena.quality import access
from laeringsarena.quality.models import Deviation, ImprovementCase, Severity, State

SUPPRESSED = None  # shown as "<5"


def report(user: Any, tenant: Organisation, months: int = 12) -> dict[str, Any]:
    scope = access.aggregate_scope(user, tenant)
    query = Q(pk__in=[])
    for path in scope["paths"]:
        query |= Q(unit__path__startswith=path)
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    deviations = Deviation.objects.filter(query, tenant=tenant, created_at__date__gte=first)
    if scope["hms_only"]:
        deviations = deviations.filter(category__is_hms=True)
    rows = list(
        deviations.values_list("category__name", "unit__name", "severity", "created_at", "closed_at", "state")
    )
    suppress = scope["hms_only"]

    def shown(counter: Counter[Any]) -> list[tuple[Any, int | None]]:
        return [
            (k, (v if not suppress or v >= MIN_GROUP_SIZE else SUPPRESSED))
            for k, v in sorted(counter.items())
        ]

    month_keys = []
    day = first
    while day <= today:
        month_keys.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    trend_counts = Counter((r[0], timezone.localtime(r[3]).strftime("%Y-%m")) for r in rows)
    categories = sorted({r[0] for r in rows})
    cases = ImprovementCase.objects.filter(unit__tenant=tenant).select_related("category")
    case_months = {c.category.name: c.started_on.strftime("%Y-%m") for c in cases}
    trend = [
        (
            category,
            [
                (
                    m,
                    (lambda v: v if not suppress or v >= MIN_GROUP_SIZE or v == 0 else SUPPRESSED)(
                        trend_counts[(category, m)]
                    ),
                )
                for m in month_keys
            ],
            case_months.get(category),
        )
        for category in categories
    ]
    durations = [(r[4] - r[3]).total_seconds() / 86400 for r in rows if r[4] and r[5] == State.CLOSED]
    severity_labels = dict(Severity.choices)
    return {
        "tenant": tenant,
        "hms_only": scope["hms_only"],
        "total": len(rows) if not suppress or len(rows) >= MIN_GROUP_SIZE else SUPPRESSED,
        "by_category": shown(Counter(r[0] for r in rows)),
        "by_unit": shown(Counter(r[1] for r in rows)),
        "by_severity": shown(Counter(str(severity_labels.get(r[2], r[2])) for r in rows)),
        "by_month": shown(Counter(timezone.localtime(r[3]).strftime("%Y-%m") for r in rows)),
        "trend": trend,
        "months": month_keys,
        "median_days_to_close": round(statistics.median(durations), 1)
        if len(durations) >= MIN_GROUP_SIZE
        else None,
        "closed": len(durations),
        "min_group_size": MIN_GROUP_SIZE,
    }


def as_csv(data: dict[str, Any], table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table, "antall"])
    for key, value in data[f"by_{table}"]:
        writer.writerow([key, value if value is not None else f"<{data['min_group_size']}"])
    return out.getvalue()
