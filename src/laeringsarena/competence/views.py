"""Web pages: Min kompetanse, the leader/HR competence overview, campaigns and the unit heatmap."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence import access, exports, pulse, selectors, services
from laeringsarena.competence.models import (
    Assessment,
    CampaignStatus,
    Certification,
    Competence,
    CompetenceLevel,
    Education,
    Participant,
    PriorLearning,
)
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation

EXPIRY_WARNING_DAYS = 60


def _person_id(request: HttpRequest) -> int:
    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        raise NotFound()
    return int(person_id)


@login_required
@nav_section("my_competence")
def mine(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person's competence, their requirements and open campaigns."""
    person_id = _person_id(request)
    today = timezone.localdate()
    required, certification_requirements = selectors.requirements_for(person_id)
    levels = {
        lv.competence_id: lv
        for lv in CompetenceLevel.objects.filter(person_id=person_id).select_related("competence__framework")
    }
    certifications = list(Certification.objects.filter(person_id=person_id))
    for certification in certifications:
        certification.state = (  # type: ignore[attr-defined]
            "expired"
            if certification.expires_on and certification.expires_on < today
            else "expiring"
            if certification.expires_on and (certification.expires_on - today).days <= EXPIRY_WARNING_DAYS
            else "valid"
        )
    held = {c.requirement_id for c in certifications if c.requirement_id and c.state != "expired"}  # type: ignore[attr-defined]
    requirement_rows = [
        {
            "competence": competence,
            "required": level,
            "current": levels.get(competence.pk),
            "gap": max(0, level - (levels[competence.pk].level if competence.pk in levels else 0)),
        }
        for competence, level in required
    ]
    open_campaigns = Participant.objects.filter(
        person_id=person_id, campaign__status=CampaignStatus.SELF_ASSESSMENT
    ).select_related("campaign")
    return render(
        request,
        "competence/mine.html",
        {
            "requirement_rows": requirement_rows,
            "missing_certifications": [r for r in certification_requirements if r.pk not in held],
            "certifications": certifications,
            "educations": Education.objects.filter(person_id=person_id),
            "prior_learning": PriorLearning.objects.filter(person_id=person_id).select_related("competence"),
            "levels": sorted(
                levels.values(), key=lambda lv: (lv.competence.framework_id, lv.competence.code)
            ),
            "history": Assessment.objects.filter(person_id=person_id).select_related(
                "competence", "assessed_by"
            )[:50],
            "open_campaigns": open_campaigns,
            "open_surveys": pulse.open_for(request.user),
        },
    )


def _require_overview(request: HttpRequest) -> None:
    if not (
        permissions.has_permission(request.user, Permission.PEOPLE_VIEW)
        or permissions.has_permission(request.user, Permission.COMPETENCE_MANAGE)
    ):
        raise PermissionDenied()


def _aggregate_roots(request: HttpRequest) -> list[Organisation]:
    paths = permissions.scope_paths(request.user, Permission.AGGREGATES_VIEW)
    return list(Organisation.objects.filter(path__in=paths).exclude(kind="platform").order_by("name"))


def _units_for(request: HttpRequest) -> list[Organisation]:
    """Top nodes of the user's people scope (HR: the municipality; leaders: their units)."""
    paths = permissions.scope_paths(request.user, Permission.PEOPLE_VIEW)
    return list(Organisation.objects.filter(path__in=paths).exclude(kind="platform").order_by("name"))


@login_required
@nav_section("competence")
def overview(request: HttpRequest) -> HttpResponse:
    """Leaders and HR: campaigns and unit heatmaps. Everyone with aggregates: have vs need."""
    if not permissions.has_permission(request.user, Permission.AGGREGATES_VIEW):
        _require_overview(request)
    roots = _units_for(request)
    units = []
    for root in roots:
        units.append(root)
        units += list(root.subtree().exclude(pk=root.pk).order_by("path")[:200])
    runner = permissions.has_permission(request.user, Permission.PEOPLE_VIEW) or permissions.has_permission(
        request.user, Permission.COMPETENCE_MANAGE
    )
    campaigns = (
        access.campaigns(request.user).select_related("organisation", "framework")[:50] if runner else []
    )
    # Union representatives follow response rates, never who answered; small campaigns are hidden.
    followed = []
    if not runner and permissions.has_permission(request.user, Permission.AGGREGATES_VIEW):
        for campaign in access.campaigns_followed(request.user).select_related("organisation")[:50]:
            rate = services.response_rate(campaign)
            followed.append((campaign, rate if rate.participants >= permissions.MIN_GROUP_SIZE else None))
    return render(
        request,
        "competence/overview.html",
        {
            "units": units,
            "campaigns": [(c, services.response_rate(c)) for c in campaigns],
            "followed": followed,
            "min_group_size": permissions.MIN_GROUP_SIZE,
            "aggregate_roots": _aggregate_roots(request),
            "runner": runner,
            "can_manage": permissions.has_permission(request.user, Permission.COMPETENCE_MANAGE),
            "surveys": pulse.surveys_for(request.user),
        },
    )


@login_required
@nav_section("competence")
def campaign_new(request: HttpRequest) -> HttpResponse:
    _require_overview(request)
    units = [
        unit
        for root in _units_for(request)
        for unit in [root, *root.subtree().exclude(pk=root.pk).order_by("path")[:200]]
    ] + [
        t
        for t in access.manageable_tenants(request.user)
        if t.path not in {u.path for u in _units_for(request)}
    ]
    framework_list = list(access.frameworks(request.user).order_by("name", "version"))
    today = timezone.localdate()
    context: dict[str, object] = {
        "units": units,
        "frameworks": framework_list,
        "values": {
            "name": _("Kompetansekartlegging %(year)s") % {"year": today.year},
            "self_deadline": (today + dt.timedelta(days=14)).isoformat(),
            "leader_deadline": (today + dt.timedelta(days=28)).isoformat(),
        },
    }
    if request.method == "POST":
        data = request.POST
        context["values"] = data
        try:
            organisation = next((u for u in units if str(u.pk) == data.get("organisation")), None)
            framework = next((f for f in framework_list if str(f.pk) == data.get("framework")), None)
            if organisation is None or framework is None:
                raise InvalidInput(
                    _("Velg enhet og rammeverk."),
                    errors=[
                        {
                            "field": "organisation" if organisation is None else "framework",
                            "reason": _("mangler"),
                        }
                    ],
                )
            try:
                self_deadline = dt.date.fromisoformat(data.get("self_deadline", ""))
                leader_deadline = dt.date.fromisoformat(data.get("leader_deadline", ""))
            except ValueError as err:
                raise InvalidInput(
                    _("Fristene må være datoer."),
                    errors=[{"field": "self_deadline", "reason": _("ugyldig dato")}],
                ) from err
            codes = [c.strip() for c in data.get("competences", "").replace(";", ",").split(",") if c.strip()]
            ids = (
                list(framework.competences.filter(code__in=codes).values_list("pk", flat=True))
                if codes
                else None
            )
            if codes and ids is not None and len(ids) != len(codes):
                raise InvalidInput(
                    _("Ukjente kompetansekoder."),
                    errors=[{"field": "competences", "reason": ", ".join(codes)}],
                )
            campaign = services.start_campaign(
                request.user,
                organisation,
                framework,
                name=data.get("name", ""),
                self_deadline=self_deadline,
                leader_deadline=leader_deadline,
                competence_ids=ids,
            )
        except InvalidInput as err:
            context["error"] = err
            return render(request, "competence/campaign_new.html", context, status=400)
        messages.success(request, _("Kartleggingen er startet."))
        return redirect("competence:campaign", pk=campaign.pk)
    return render(request, "competence/campaign_new.html", context)


def _visible_participants(request: HttpRequest, campaign_id: int) -> list[Participant]:
    paths = permissions.scope_paths(request.user, Permission.PEOPLE_VIEW)
    rows = Participant.objects.filter(campaign_id=campaign_id).select_related("person", "unit")
    return sorted(
        (p for p in rows if any(p.unit.path.startswith(path) for path in paths)),
        key=lambda p: (p.unit.name, p.person.family_name, p.person.given_name),
    )


@login_required
@nav_section("competence")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.access_campaign(request.user, pk)
    can_run = access.can_run_campaign(request.user, campaign.organisation)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remind":
            count = services.remind(request.user, campaign)
            messages.success(request, _("Påminnelse sendt til %(n)s.") % {"n": count})
        elif action == "leader":
            services.start_leader_phase(request.user, campaign)
            messages.success(request, _("Ledervurderingen er startet."))
        elif action == "close":
            services.close_campaign(request.user, campaign)
            messages.success(request, _("Kartleggingen er avsluttet."))
        return redirect("competence:campaign", pk=campaign.pk)
    participants = _visible_participants(request, campaign.pk)
    units = sorted({p.unit for p in participants}, key=lambda u: u.name)
    return render(
        request,
        "competence/campaign_detail.html",
        {
            "campaign": campaign,
            "can_run": can_run,
            "participants": participants,
            "rate": services.response_rate(campaign),
            "unit_rates": [(u, services.response_rate(campaign, u)) for u in units],
            "competence_count": campaign.competences.count(),
        },
    )


def _levels_from_post(request: HttpRequest, competence_ids: list[int]) -> dict[int, int]:
    levels: dict[int, int] = {}
    for pk in competence_ids:
        value = request.POST.get(f"level-{pk}", "")
        if value.isdigit():
            levels[pk] = int(value)
    return levels


def _form_rows(campaign_id: int, current: Mapping[int, int | None]) -> tuple[list[dict[str, Any]], list[int]]:
    from laeringsarena.competence.models import Campaign

    campaign = Campaign.objects.select_related("framework").get(pk=campaign_id)
    competences = list(campaign.competences.select_related("area").order_by("area__order", "order", "code"))
    levels = list(campaign.framework.levels.order_by("value"))
    rows = [{"competence": c, "levels": levels, "value": current.get(c.pk)} for c in competences]
    return rows, [c.pk for c in competences]


def _mark_missing(rows: list[dict[str, Any]], err: InvalidInput) -> None:
    missing = {e["field"] for e in err.errors}
    for row in rows:
        row["missing"] = f"level[{row['competence'].pk}]" in missing


@login_required
@nav_section("my_competence")
def self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    participant = (
        Participant.objects.filter(campaign_id=pk, person_id=_person_id(request))
        .select_related("campaign")
        .first()
    )
    if participant is None:
        raise NotFound()
    campaign = participant.campaign
    current = dict(
        CompetenceLevel.objects.filter(person_id=participant.person_id, self_level__isnull=False).values_list(
            "competence_id", "self_level"
        )
    )
    rows, ids = _form_rows(campaign.pk, current)
    context: dict[str, Any] = {"campaign": campaign, "rows": rows, "participant": participant}
    if request.method == "POST":
        levels = _levels_from_post(request, ids)
        try:
            services.submit_self_assessment(request.user, campaign, levels)
        except InvalidInput as err:
            rows, _ids = _form_rows(campaign.pk, {**current, **levels})
            _mark_missing(rows, err)
            context.update(rows=rows, error=err)
            return render(request, "competence/assess.html", context, status=400)
        messages.success(request, _("Takk! Egenvurderingen er lagret."))
        return redirect("competence:mine")
    context["open"] = campaign.status == CampaignStatus.SELF_ASSESSMENT
    return render(request, "competence/assess.html", context)


@login_required
@nav_section("competence")
def leader_assess(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    campaign = access.access_campaign(request.user, pk)
    participant = next(
        (p for p in _visible_participants(request, campaign.pk) if p.pk == participant_id), None
    )
    if participant is None:
        raise NotFound()
    levels_now = CompetenceLevel.objects.filter(person_id=participant.person_id)
    self_levels = dict(levels_now.filter(self_level__isnull=False).values_list("competence_id", "self_level"))
    leader_levels = dict(levels_now.filter(source="leader").values_list("competence_id", "level"))
    rows, ids = _form_rows(campaign.pk, leader_levels or self_levels)
    for row in rows:
        row["self_level"] = self_levels.get(row["competence"].pk)
    context: dict[str, object] = {
        "campaign": campaign,
        "rows": rows,
        "participant": participant,
        "leader": True,
    }
    context["open"] = campaign.status != CampaignStatus.CLOSED
    if request.method == "POST":
        levels = _levels_from_post(request, ids)
        try:
            services.submit_leader_assessment(request.user, campaign, participant, levels)
        except InvalidInput as err:
            rows, _ids = _form_rows(campaign.pk, {**(leader_levels or self_levels), **levels})
            _mark_missing(rows, err)
            for row in rows:
                row["self_level"] = self_levels.get(row["competence"].pk)
            context.update(rows=rows, error=err)
            return render(request, "competence/assess.html", context, status=400)
        messages.success(
            request, _("Vurderingen av %(name)s er lagret.") % {"name": participant.person.full_name}
        )
        following = next(
            (p for p in _visible_participants(request, campaign.pk) if p.leader_done_at is None), None
        )
        if following is not None:
            return redirect("competence:leader_assess", pk=campaign.pk, participant_id=following.pk)
        return redirect("competence:campaign", pk=campaign.pk)
    return render(request, "competence/assess.html", context)


def _cells_html(analysis: selectors.GapAnalysis, member: selectors.Member) -> SafeString:
    """One heatmap row's cells, built here: thousands of cells are too slow through template tags.

    Each cell shows «assessed/required» and a word, so colour is never the only signal.
    """
    labels = {
        "ok": escape(_("oppfylt")),
        "unknown": escape(_("ikke vurdert")),
        "extra": "",
        "none": "",
    }
    gap_label = escape(_("gap %(n)s"))
    parts = []
    for competence in analysis.competences:
        cell = analysis.cell(member.person_id, competence.pk)
        status = cell.status
        assessed = "–" if cell.assessed is None else str(cell.assessed)
        required = str(cell.required) if cell.required else "–"
        label = labels.get(status) if status in labels else gap_label % {"n": cell.gap}
        parts.append(f'<td class="cell {status}">{assessed}/{required}<small>{label}</small></td>')
    return mark_safe("".join(parts))  # noqa: S308 - numbers, fixed classes and escaped labels only


@login_required
@nav_section("competence")
def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """Competence × person for a unit: assessed vs required, colour and text."""
    unit = access.access_unit_for_gaps(request.user, pk)
    analysis = selectors.unit_gaps(unit)
    rows = [
        (
            member,
            _cells_html(analysis, member),
            analysis.person_total(member),
        )
        for member in analysis.members
    ]
    return render(
        request,
        "competence/heatmap.html",
        {
            "unit": unit,
            "analysis": analysis,
            "rows": rows,
            "summaries": [analysis.competence_summary(c) for c in analysis.competences],
            "children": unit.children.order_by("name"),
        },
    )


@login_required
@nav_section("competence")
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Sector or municipality: what we have vs what we need, aggregated (union reps too)."""
    organisation = permissions.access_organisation(request.user, pk, Permission.AGGREGATES_VIEW)
    head_count, rows = selectors.coverage(organisation, permissions.MIN_GROUP_SIZE)
    suppressed = 0 < head_count < permissions.MIN_GROUP_SIZE
    return render(
        request,
        "competence/coverage.html",
        {
            "organisation": organisation,
            "head_count": head_count,
            "rows": [] if suppressed else rows,
            "suppressed": suppressed,
            "min_group_size": permissions.MIN_GROUP_SIZE,
            "children": organisation.children.order_by("name"),
            "can_see_people": permissions.has_permission(request.user, Permission.PEOPLE_VIEW, organisation),
        },
    )


@login_required
@nav_section("competence")
def heatmap_csv(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.access_unit_for_gaps(request.user, pk)
    analysis = selectors.unit_gaps(unit)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kompetansegap-{unit.slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["person_id", "navn", "stilling", "kompetanse", "kode", "krevd", "vurdert", "kilde", "gap"]
    )
    for member in analysis.members:
        for competence in analysis.competences:
            cell = analysis.cell(member.person_id, competence.pk)
            writer.writerow(
                [
                    member.person_id,
                    member.name,
                    member.position,
                    competence.name,
                    competence.code,
                    cell.required or "",
                    cell.assessed if cell.assessed is not None else "",
                    cell.source or "",
                    cell.gap,
                ]
            )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@nav_section("competence")
def heatmap_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.access_unit_for_gaps(request.user, pk)
    response = HttpResponse(exports.unit_gaps_xlsx(unit.name, selectors.unit_gaps(unit)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kompetansegap-{unit.slug}.xlsx"'
    return response


@login_required
@nav_section("competence")
def coverage_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = permissions.access_organisation(request.user, pk, Permission.AGGREGATES_VIEW)
    head_count, rows = selectors.coverage(organisation, permissions.MIN_GROUP_SIZE)
    if 0 < head_count < permissions.MIN_GROUP_SIZE:
        rows = []
    response = HttpResponse(exports.coverage_xlsx(organisation.name, head_count, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kompetanseoversikt-{organisation.slug}.xlsx"'
    return response


# --- Pulse survey -------------------------------------------------------------------------------


@login_required
@nav_section("my_competence")
def pulse_answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = pulse.access_open_survey(request.user, pk)
    context: dict[str, Any] = {
        "survey": survey,
        "situations": pulse.SITUATIONS,
        "climate": pulse.CLIMATE,
        "scale": pulse.CLIMATE_SCALE,
    }
    if request.method == "POST":
        situations = {
            key: request.POST[key] == "yes"
            for key, _q in pulse.SITUATIONS
            if request.POST.get(key) in ("yes", "no")
        }
        climate = {
            key: int(request.POST[key]) for key, _q in pulse.CLIMATE if request.POST.get(key, "").isdigit()
        }
        try:
            pulse.answer(request.user, survey, situations, climate)
        except InvalidInput as err:
            context.update(error=err, answered=request.POST)
            return render(request, "competence/pulse_answer.html", context, status=400)
        messages.success(request, _("Takk for svaret! Svarene lagres uten navn og vises bare samlet."))
        return redirect("competence:mine")
    return render(request, "competence/pulse_answer.html", context)


@login_required
@nav_section("competence")
def pulse_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = pulse.access_results(request.user, pk)
    total, children = pulse.results(request.user, survey)
    return render(
        request,
        "competence/pulse_results.html",
        {
            "survey": survey,
            "total": total,
            "children": children,
            "min_group_size": permissions.MIN_GROUP_SIZE,
        },
    )


@login_required
@nav_section("competence")
def pulse_new(request: HttpRequest) -> HttpResponse:
    _require_overview(request)
    if request.method != "POST":
        return redirect("competence:overview")
    organisation = permissions.access_organisation(
        request.user, int(request.POST.get("organisation", "0") or 0), Permission.ORGANISATION_VIEW
    )
    today = timezone.localdate()
    survey = pulse.start(
        request.user, organisation, request.POST.get("title", ""), today, today + dt.timedelta(days=14)
    )
    messages.success(request, _("Pulsundersøkelsen er sendt ut."))
    return redirect("competence:pulse_results", pk=survey.pk)


# --- Requirements -------------------------------------------------------------------------------


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@nav_section("competence")
def requirements(request: HttpRequest) -> HttpResponse:
    """HR: competence and certification requirements per position and/or unit."""
    from laeringsarena.competence.models import CertificationRequirement, CompetenceRequirement
    from laeringsarena.organisations.models import Position

    tenants = access.manageable_tenants(request.user)
    if not tenants:
        raise PermissionDenied()
    slug = request.GET.get("kommune") or (tenants[0].slug if len(tenants) == 1 else "")
    tenant = next((t for t in tenants if t.slug == slug), None)
    if tenant is None:
        return render(request, "competence/requirements.html", {"tenants": tenants})
    context: dict[str, Any] = {"tenants": tenants, "tenant": tenant}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "competence":
                services.add_requirement(
                    request.user,
                    tenant,
                    competence_id=_int_or_none(request.POST.get("competence")) or 0,
                    required_level=_int_or_none(request.POST.get("required_level")) or 0,
                    organisation_id=_int_or_none(request.POST.get("organisation")),
                    position_id=_int_or_none(request.POST.get("position")),
                )
            elif action == "certification":
                services.add_certification_requirement(
                    request.user,
                    tenant,
                    name=request.POST.get("name", ""),
                    validity_months=_int_or_none(request.POST.get("validity_months")),
                    organisation_id=_int_or_none(request.POST.get("organisation")),
                    position_id=_int_or_none(request.POST.get("position")),
                )
            elif action in ("delete-competence", "delete-certification"):
                services.remove_requirement(
                    request.user,
                    tenant,
                    kind=action.removeprefix("delete-"),
                    pk=_int_or_none(request.POST.get("pk")) or 0,
                )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Kravene er oppdatert."))
            return redirect(f"{request.path}?kommune={tenant.slug}")
    context.update(
        requirements=CompetenceRequirement.objects.filter(tenant=tenant).select_related(
            "organisation", "position", "competence__framework"
        ),
        certifications=CertificationRequirement.objects.filter(tenant=tenant).select_related(
            "organisation", "position"
        ),
        organisations=tenant.subtree().exclude(pk=tenant.pk).order_by("path"),
        positions=Position.objects.filter(employments__organisation=tenant).distinct().order_by("name"),
        competences=access.frameworks(request.user).filter(Q(owner=tenant) | Q(owner__isnull=True)),
    )
    context["competence_choices"] = [
        (c.pk, f"{c.framework.name}: {c.code} {c.name}")
        for c in Competence.objects.filter(
            framework__in=[f.pk for f in context["competences"]]
        ).select_related("framework")
    ]
    return render(
        request, "competence/requirements.html", context, status=400 if context.get("error") else 200
    )
