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
    case_months = {c.category.name: c.started_on.strftime("%Y-%m") for c in cases if c.category}
    trend_rows = [
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
    trend = [(c, cells, start, trend_svg(c, cells, start)) for c, cells, start in trend_rows]
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


def trend_svg(category: str, cells: list[tuple[str, int | None]], start: str | None) -> str:
    """A small line chart (inline SVG) of one category per month; the improvement case marked.

    The table next to it carries the same numbers for screen readers; suppressed months are gaps.
    """
    from django.utils.html import escape
    from django.utils.translation import gettext as _

    width, height, pad = 320, 90, 12
    values = [v for _m, v in cells if v is not None]
    top = max([*values, 1])
    step = (width - 2 * pad) / max(1, len(cells) - 1)
    points = []
    for i, (_month, value) in enumerate(cells):
        if value is None:
            continue
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * value / top
        points.append(f"{x:.1f},{y:.1f}")
    marker = ""
    if start is not None:
        months = [m for m, _v in cells]
        if start in months:
            x = pad + months.index(start) * step
            marker = (
                f'<line x1="{x:.1f}" y1="{pad / 2}" x2="{x:.1f}" y2="{height - pad / 2}" '
                'stroke="#8a4b00" stroke-width="2" stroke-dasharray="4 3"/>'
            )
    label = _("%(category)s per måned, høyest %(top)s") % {"category": category, "top": top}
    if start:
        label += ". " + _("Forbedringssak startet %(month)s") % {"month": start}
    return (
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#6b6b6b"/>'
        f"{marker}"
        f'<polyline fill="none" stroke="#004c99" stroke-width="2" points="{" ".join(points)}"/></svg>'
    )
