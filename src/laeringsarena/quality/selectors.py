"""Reads for the leader-meeting view and its Markdown export."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.quality import access
from laeringsarena.quality.models import OPEN_STATES, AgendaItem, Deviation, DeviationRead, ImprovementCase

MEETING_QUESTIONS = (
    gettext_lazy("Hvilke avvik har dere lært noe av siden sist?"),
    gettext_lazy("Hva hindrer at avvikene over fristen blir lukket?"),
)


def readers(deviation: Deviation) -> list[dict[str, Any]]:
    """Who has read the deviation (from the audit log), latest read first; shown to the reporter
    and the handlers, so that confidentiality can be checked."""
    rows = (
        DeviationRead.objects.filter(deviation=deviation, user__isnull=False)
        .values("user_id", "user__email", "user__person__given_name", "user__person__family_name")
        .annotate(last=Max("at"), count=Count("pk"))
        .order_by("-last")
    )
    return [
        {
            "name": f"{r['user__person__given_name'] or ''} {r['user__person__family_name'] or ''}".strip()
            or r["user__email"],
            "last": r["last"],
            "count": r["count"],
        }
        for r in rows
    ]


def last_meeting(user: Any) -> dt.date | None:
    """The date of the last meeting the user's deviations were put on the agenda of."""
    item = (
        AgendaItem.objects.filter(
            deviations__in=access.handled_deviations(user), meeting_date__lte=timezone.localdate()
        )
        .order_by("-meeting_date")
        .first()
    )
    return item.meeting_date if item else None


def meeting_overview(user: Any, since: dt.date) -> dict[str, Any]:
    handled = access.handled_deviations(user).select_related("unit", "forwarded_to", "category")
    new = list(handled.filter(created_at__date__gte=since))
    counts = Counter((d.responsible_unit.name, d.category.name) for d in new)
    units = sorted({u for u, _c in counts})
    categories = sorted({c for _u, c in counts})
    today = timezone.localdate()
    overdue = list(handled.filter(state__in=OPEN_STATES, deadline__lt=today).order_by("deadline")[:100])
    nodes = access._handler_nodes(user)
    cases = [
        c
        for c in ImprovementCase.objects.exclude(phase=ImprovementCase.Phase.DONE).select_related(
            "unit", "category"
        )
        if any(c.unit.path.startswith(n.path) for n in nodes)
    ]
    agenda = list(
        AgendaItem.objects.filter(deviations__in=handled, meeting_date__gte=since)
        .select_related("unit")
        .distinct()
        .order_by("meeting_date")
    )
    return {
        "since": since,
        "total": len(new),
        "units": units,
        "categories": categories,
        "rows": [
            (u, [counts.get((u, c), 0) for c in categories], sum(counts.get((u, c), 0) for c in categories))
            for u in units
        ],
        "open": handled.filter(state__in=OPEN_STATES).count(),
        "overdue": overdue,
        "cases": cases,
        "agenda": agenda,
        "today": today,
    }


def meeting_markdown(data: dict[str, Any]) -> str:
    """The overview as an agenda item in Markdown."""
    lines = [
        f"## {_('Avvik siden')} {data['since']:%d.%m.%Y}",
        "",
        _("%(n)s nye avvik, %(o)s åpne, %(d)s over fristen.")
        % {"n": data["total"], "o": data["open"], "d": len(data["overdue"])},
        "",
    ]
    if data["rows"]:
        lines.append("| " + " | ".join([_("Enhet"), *data["categories"], _("Sum")]) + " |")
        lines.append("|" + "---|" * (len(data["categories"]) + 2))
        for unit, cells, total in data["rows"]:
            lines.append("| " + " | ".join([unit, *map(str, cells), str(total)]) + " |")
        lines.append("")
    if data["overdue"]:
        lines += [f"### {_('Over fristen')}", ""]
        lines += [
            f"- #{d.pk} {d.category.name}, {d.responsible_unit.name} ({_('frist')} {d.deadline:%d.%m.%Y})"
            for d in data["overdue"]
        ]
        lines.append("")
    if data["cases"]:
        lines += [f"### {_('Åpne forbedringssaker')}", ""]
        lines += [
            f"- {c.title} ({c.unit.name}, {c.category.name}): {c.get_phase_display()}" for c in data["cases"]
        ]
        lines.append("")
    if data["agenda"]:
        lines += [f"### {_('Til drøfting')}", ""]
        for item in data["agenda"]:
            lines.append(f"- {item.meeting_date:%d.%m.%Y}, {item.unit.name}: {item.discussion_guide}")
            if item.conclusion:
                lines.append(f"  - {_('Konklusjon')}: {item.conclusion}")
        lines.append("")
    lines += [f"### {_('Spørsmål til lederne')}", ""]
    lines += [f"- {question}" for question in MEETING_QUESTIONS]
    lines.append("")
    return "\n".join(lines)
