"""Finn læring: search (open to all), offering pages, ratings, the editor flow and moderation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import MIN_GROUP_SIZE, Permission
from laeringsarena.catalogue import access, feeds, selectors, services, statistics
from laeringsarena.catalogue.models import (
    LANGUAGES,
    BundleGrant,
    ContentItem,
    Format,
    Level,
    Offering,
    Participation,
    PriceModel,
    QuizResult,
    Rating,
    RatingStatus,
    Status,
    Visibility,
)
from laeringsarena.catalogue.search_index import FACETS
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, OrganisationKind

PAGE_SIZE = 20

FACET_LABELS = {
    "format": gettext_lazy("Format"),
    "duration": gettext_lazy("Varighet"),
    "price": gettext_lazy("Pris"),
    "language": gettext_lazy("Språk"),
    "provider": gettext_lazy("Tilbyder"),
    "credits": gettext_lazy("Studiepoeng"),
    "mode": gettext_lazy("Nett eller sted"),
    "county": gettext_lazy("Fylke"),
}
DURATION_LABELS = {
    "lt15m": gettext_lazy("Under 15 minutter"),
    "15m-1h": gettext_lazy("15 minutter – 1 time"),
    "1h-1d": gettext_lazy("1 time – 1 dag"),
    "gt1d": gettext_lazy("Mer enn 1 dag"),
    "unknown": gettext_lazy("Ukjent"),
}
SORT_LABELS = {
    "relevance": gettext_lazy("Mest relevant"),
    "rating": gettext_lazy("Best vurdert"),
    "newest": gettext_lazy("Nyeste"),
    "shortest": gettext_lazy("Kortest"),
    "title": gettext_lazy("Tittel A–Å"),
}


def _value_label(facet: str, value: str, providers: dict[str, str]) -> str:
    if facet == "format":
        return str(Format(value).label) if value in Format.values else value
    if facet == "duration":
        return str(DURATION_LABELS.get(value, value))
    if facet == "price":
        return str(PriceModel(value).label) if value in PriceModel.values else value
    if facet == "language":
        return str(dict(LANGUAGES).get(value, value))
    if facet == "provider":
        return providers.get(value, value)
    if facet == "credits":
        return _("Gir studiepoeng") if value == "yes" else _("Uten studiepoeng")
    if facet == "mode":
        return _("På nett") if value == "online" else _("Fysisk oppmøte")
    return value


@nav_section("catalogue")
def search(request: HttpRequest) -> HttpResponse:
    """One box, results as you type, facets with counts. Open to everyone."""
    query = request.GET.get("q", "")[:200]
    sort = request.GET.get("sort", "relevance")
    if sort not in SORT_LABELS:
        sort = "relevance"
    filters = {name: request.GET.getlist(name) for name in FACETS if request.GET.getlist(name)}
    try:
        page_number = max(1, int(request.GET.get("side", "1")))
    except ValueError:
        page_number = 1
    outcome = selectors.search(
        request.user, query, filters, sort=sort, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    providers = selectors.provider_names()
    facets = []
    for name in FACETS:
        counts = outcome.facets.get(name, {})
        chosen = set(filters.get(name, []))
        values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        for value in chosen - set(counts):
            values.append((value, 0))
        if values:
            facets.append(
                {
                    "name": name,
                    "label": FACET_LABELS[name],
                    "values": [
                        {
                            "value": v,
                            "label": _value_label(name, v, providers),
                            "count": c,
                            "checked": v in chosen,
                        }
                        for v, c in values
                    ],
                }
            )
    pages = max(1, -(-outcome.count // PAGE_SIZE))
    querystring = request.GET.copy()
    querystring.pop("side", None)
    context: dict[str, Any] = {
        "query": query,
        "sort": sort,
        "sorts": SORT_LABELS.items(),
        "outcome": outcome,
        "facets": facets,
        "page": page_number,
        "pages": pages,
        "base_query": querystring.urlencode(),
        "corrections": [note for note in outcome.notes if "→" in note],
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "catalogue/_results.html", context)
    return render(request, "catalogue/search.html", context)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Vurdering"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    review = forms.CharField(
        label=gettext_lazy("Omtale (valgfritt)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    on_behalf_of = forms.ModelChoiceField(
        label=gettext_lazy("Vurder på vegne av"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Meg selv"),
    )


@nav_section("catalogue")
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = access.access_offering(request.user, pk)
    user = request.user
    person_id = getattr(user, "person_id", None)
    mine = Rating.objects.filter(offering=offering, person_id=person_id).first() if person_id else None
    taken = (
        Participation.objects.filter(offering=offering, person_id=person_id).first() if person_id else None
    )
    form = None
    if person_id and services.may_rate(user, offering):
        form = RatingForm(initial={"stars": mine.stars, "review": mine.review} if mine else None)
        form.fields["on_behalf_of"].queryset = access.rating_organisations(user)  # type: ignore[attr-defined]
        if not access.rating_organisations(user).exists():
            del form.fields["on_behalf_of"]
    ratings = offering.ratings.filter(status=RatingStatus.VISIBLE).order_by("-updated_at")[:20]
    statistics.record_view(offering)
    content_access = access.has_content_access(user, offering)
    results = {}
    if person_id and content_access:
        results = {
            r.item_id: r for r in QuizResult.objects.filter(item__offering=offering, person_id=person_id)
        }
    content = list(offering.content.all()) if content_access else []
    for item in content:
        item.my_result = results.get(item.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "catalogue/offering_detail.html",
        {
            "offering": offering,
            "sessions": offering.sessions.all(),
            "content": content,
            "content_access": content_access,
            "ratings": ratings,
            "mine": mine,
            "taken": taken,
            "form": form,
            "can_edit": access.can_edit(user, offering.provider),
            "bayesian": round(
                selectors.search_index.bayesian_rating(offering.rating_count, offering.rating_sum), 1
            ),
        },
    )


@require_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the click and send the person on to the provider's page."""
    offering = access.access_offering(request.user, pk)
    return HttpResponseRedirect(services.record_referral(request.user, offering))


@require_POST
@login_required
def mark_taken(request: HttpRequest, pk: int) -> HttpResponse:
    offering = access.access_offering(request.user, pk)
    services.mark_taken(request.user, offering, request.POST.get("kind", "completed"))
    messages.success(request, _("Registrert. Nå kan du vurdere tilbudet."))
    return redirect("catalogue:offering", pk=offering.pk)


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    offering = access.access_offering(request.user, pk)
    form = RatingForm(request.POST)
    form.fields["on_behalf_of"].queryset = access.rating_organisations(request.user)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise InvalidInput(_("Velg fra 1 til 5 stjerner."))
    rating = services.rate(
        request.user,
        offering,
        form.cleaned_data["stars"],
        form.cleaned_data["review"],
        on_behalf_of=form.cleaned_data.get("on_behalf_of"),
    )
    if rating.status == RatingStatus.HELD:
        messages.info(request, _("Takk! Vurderingen din vises når den er sjekket."))
    else:
        messages.success(request, _("Takk for vurderingen!"))
    return redirect("catalogue:offering", pk=offering.pk)


@require_POST
@login_required
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    rating = Rating.objects.select_related("offering").filter(pk=pk).first()
    if rating is None:
        raise NotFound()
    access.access_offering(request.user, rating.offering_id)
    try:
        services.flag(request.user, rating, request.POST.get("reason", "") or _("Meldt fra tilbudssiden"))
    except LaeringsarenaError as err:
        messages.error(request, str(err.detail))
    else:
        messages.success(request, _("Takk, vurderingen blir sjekket."))
    return redirect("catalogue:offering", pk=rating.offering_id)


# -- the editor flow --------------------------------------------------------------------------


class OfferingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tittel"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Sammendrag"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=gettext_lazy("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    learning_outcomes = forms.CharField(
        label=gettext_lazy("Læringsutbytte"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords = forms.CharField(label=gettext_lazy("Stikkord"), required=False, max_length=500)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Format.choices)
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Varighet (minutter)"), required=False, min_value=1
    )
    language = forms.ChoiceField(label=gettext_lazy("Språk"), choices=LANGUAGES)
    level = forms.ChoiceField(label=gettext_lazy("Nivå"), choices=Level.choices)
    price_model = forms.ChoiceField(label=gettext_lazy("Prismodell"), choices=PriceModel.choices)
    price_nok = forms.DecimalField(label=gettext_lazy("Pris (kr)"), required=False, min_value=Decimal(0))
    ects_credits = forms.DecimalField(label=gettext_lazy("Studiepoeng"), required=False, min_value=Decimal(0))
    licence = forms.CharField(label=gettext_lazy("Lisens"), required=False, max_length=100)
    external_url = forms.URLField(label=gettext_lazy("Ekstern lenke"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(label=gettext_lazy("Synlighet"), choices=Visibility.choices)


@login_required
@nav_section("catalogue_editor")
def editor(request: HttpRequest) -> HttpResponse:
    """The provider editor's overview: own offerings by status, and where to add new ones."""
    providers = access.editable_providers(request.user)
    if not providers.exists():
        raise PermissionDenied()
    offerings = (
        Offering.objects.filter(provider__in=providers).select_related("provider").order_by("status", "title")
    )
    return render(
        request,
        "catalogue/editor.html",
        {
            "providers": providers,
            "offerings": offerings[:500],
            "count": offerings.count(),
            "bundles": services.manageable_bundles(request.user),
        },
    )


@login_required
@nav_section("catalogue_editor")
def new_offering(request: HttpRequest, slug: str) -> HttpResponse:
    provider = access.access_provider_for_edit(request.user, slug)
    return _edit(request, provider, None)


@login_required
@nav_section("catalogue_editor")
def edit_offering(request: HttpRequest, pk: int) -> HttpResponse:
    offering = access.access_offering_for_edit(request.user, pk)
    if request.method == "POST" and request.POST.get("status"):
        services.set_status(request.user, offering, request.POST["status"])
        messages.success(
            request, _("Status endret til «%(status)s».") % {"status": offering.get_status_display()}
        )
        return redirect("catalogue:edit", pk=offering.pk)
    if request.method == "POST" and "share" in request.POST:
        everyone = request.POST.get("share") == "everyone"
        ids = [int(v) for v in request.POST.getlist("municipalities") if v.isdigit()]
        municipalities = list(
            Organisation.objects.filter(
                pk__in=ids, kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
            )
        )
        services.share(request.user, offering, municipalities, everyone=everyone)
        messages.success(request, _("Delingen er lagret."))
        return redirect("catalogue:edit", pk=offering.pk)
    return _edit(request, offering.provider, offering)


def _edit(request: HttpRequest, provider: Any, offering: Offering | None) -> HttpResponse:
    initial = {name: getattr(offering, name) for name in services.EDITABLE_FIELDS} if offering else {}
    form = OfferingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned: dict[str, Any] = dict(form.cleaned_data)
        data = services.OfferingInput(**cleaned)
        for text_field in (
            "summary",
            "description",
            "learning_outcomes",
            "keywords",
            "licence",
            "external_url",
        ):
            setattr(data, text_field, getattr(data, text_field) or "")
        try:
            saved = services.save_offering(request.user, provider, data, offering)
        except InvalidInput as err:
            for error in err.errors:
                form.add_error(error["field"] if error["field"] in form.fields else None, error["reason"])
        else:
            messages.success(request, _("Tilbudet er lagret."))
            return redirect("catalogue:edit", pk=saved.pk)
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
    return render(
        request,
        "catalogue/edit.html",
        {
            "form": form,
            "provider": provider,
            "offering": offering,
            "statuses": Status.choices,
            "municipalities": municipalities,
            "shared_ids": set(offering.shared_with.values_list("pk", flat=True)) if offering else set(),
        },
    )


@login_required
@nav_section("catalogue_editor")
def moderation(request: HttpRequest) -> HttpResponse:
    """Held and flagged ratings for the provider's editors and platform administrators."""
    if not (
        access.is_platform_admin(request.user)
        or permissions.has_permission(request.user, Permission.CATALOGUE_EDIT)
    ):
        raise PermissionDenied()
    if request.method == "POST":
        rating = services.moderation_queue(request.user).filter(pk=request.POST.get("rating", "0")).first()
        if rating is None:
            raise NotFound()
        services.moderate(request.user, rating, request.POST.get("status", ""))
        messages.success(request, _("Vurderingen er behandlet."))
        return redirect("catalogue:moderation")
    queue = Paginator(services.moderation_queue(request.user).prefetch_related("flags"), 50).get_page(1)
    return render(request, "catalogue/moderation.html", {"queue": queue})


class FeedForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Feed (JSON eller CSV)"),
        help_text=gettext_lazy("Samme format som API-et og kommandolinjen; se dokumentasjonen for feeder."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )


@login_required
@nav_section("catalogue_editor")
def feed_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """A provider editor uploads a feed; every record is reported (landed, unchanged or why not)."""
    provider = access.access_provider_for_edit(request.user, slug)
    result = None
    form = FeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # the same ingest as the API and `laeringsarena catalogue ingest`
            result = feeds.ingest(provider, upload.read(), filename=upload.name or "")
        except InvalidInput as error:
            details = "; ".join(f"{e.get('field')}: {e.get('reason')}" for e in error.errors)
            form.add_error("file", f"{error.detail}{' ' + details if details else ''}")
    recent = provider.ingests.order_by("-started_at")[:10]
    return render(
        request,
        "catalogue/feed.html",
        {"provider": provider, "form": form, "result": result, "recent": recent},
    )


class BundleGrantForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("Organisasjon (kortnavn)"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Hele organisasjonen med underenheter får tilgang, f.eks. «fjordvik»."),
    )
    person_email = forms.EmailField(label=gettext_lazy("… eller en person (e-post)"), required=False)
    valid_from = forms.DateField(
        label=gettext_lazy("Fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=gettext_lazy("Til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@nav_section("catalogue_editor")
def bundle(request: HttpRequest, slug: str) -> HttpResponse:
    """Who holds a subscription bundle; grant it to an organisation or a person."""
    item = services.access_bundle_for_edit(request.user, slug)
    form = BundleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, person = services.find_grantee(data["organisation"], data["person_email"])
            services.grant_bundle(
                request.user,
                item,
                organisation=organisation,
                person=person,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except InvalidInput as error:
            form.add_error(None, str(error.detail))
        else:
            messages.success(request, _("Tilgangen er gitt."))
            return redirect("catalogue:bundle", slug=item.slug)
    grants = item.grants.select_related("organisation", "person").order_by("-valid_from", "pk")
    today = timezone.localdate()
    rows = [
        (grant, grant.valid_from <= today and (grant.valid_to is None or grant.valid_to >= today))
        for grant in grants
    ]
    return render(
        request,
        "catalogue/bundle.html",
        {"bundle": item, "form": form, "rows": rows, "offerings": item.offerings.order_by("title")[:200]},
    )


@require_POST
@login_required
def bundle_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = BundleGrant.objects.select_related("bundle").filter(pk=pk).first()
    if grant is None:
        raise NotFound()
    services.revoke_bundle_grant(request.user, grant)
    messages.success(request, _("Tilgangen er trukket tilbake."))
    return redirect("catalogue:bundle", slug=grant.bundle.slug)


@require_POST
def quiz(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a hosted quiz: feedback per question at once, and the person's score."""
    item = ContentItem.objects.filter(pk=pk, kind="quiz").first()
    if item is None:
        raise NotFound()
    answers: list[int | None] = []
    for number in range(1, len(item.quiz) + 1):
        raw = request.POST.get(f"quiz-{item.pk}-{number}", "")
        answers.append(int(raw) if raw.isdigit() else None)
    feedback, result = services.answer_quiz(request.user, item, answers)
    context = {
        "item": item,
        "feedback": feedback,
        "result": result,
        "score": sum(f.correct for f in feedback),
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalogue/_quiz.html", context)
    messages.success(
        request,
        _("Du fikk %(score)s av %(total)s riktige.") % {"score": context["score"], "total": len(feedback)},
    )
    return redirect("catalogue:offering", pk=item.offering_id)


@login_required
@nav_section("catalogue_editor")
def usage(request: HttpRequest, slug: str) -> HttpResponse:
    """Usage per offering and month for the provider's editors (aggregates, small groups hidden)."""
    provider = access.access_provider_for_edit(request.user, slug)
    return render(
        request,
        "catalogue/usage.html",
        {"provider": provider, "rows": statistics.provider_usage(provider), "min_group": MIN_GROUP_SIZE},
    )
