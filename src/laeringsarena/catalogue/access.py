"""Who may see, use and edit offerings — built on the one permission service.

* Published public offerings: everyone, also without logging in.
* Published "municipal" offerings: anyone logged in with a role or employment in a municipality.
* Published internal offerings: people inside the owning municipality's tree, and inside the
  municipalities it shared the offering with.
* Drafts and retired offerings: the provider's editors (and platform administrators).
* Content of subscription offerings: holders of a bundle grant (to them or their organisation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission
from laeringsarena.catalogue.models import (
    BundleGrant,
    Offering,
    PriceModel,
    Provider,
    Status,
    Visibility,
)
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None


def tenant_ids(user: AnyUser) -> set[int]:
    """Municipalities/counties the user belongs to (by role or employment)."""
    cached: set[int] | None = getattr(user, "_catalogue_tenants", None)
    if cached is not None:
        return cached
    ids = set(permissions.tenants(user).values_list("pk", flat=True))
    if user is not None and user.is_authenticated:
        user.__dict__["_catalogue_tenants"] = ids
    return ids


def is_platform_admin(user: AnyUser) -> bool:
    return permissions.has_role(user, Role.PLATFORM_ADMIN)


def editable_providers(user: AnyUser) -> QuerySet[Provider]:
    """Providers whose offerings the user may edit (Permission.CATALOGUE_EDIT)."""
    if is_platform_admin(user):
        return Provider.objects.all()
    if not permissions.has_permission(user, Permission.CATALOGUE_EDIT):
        return Provider.objects.none()
    return Provider.objects.filter(
        organisation__in=permissions.organisations(user, Permission.CATALOGUE_EDIT)
    )


def can_edit(user: AnyUser, provider: Provider) -> bool:
    if is_platform_admin(user):
        return True
    return provider.organisation is not None and permissions.has_permission(
        user, Permission.CATALOGUE_EDIT, provider.organisation
    )


def visible_q(user: AnyUser) -> Q:
    """Published offerings the user may see."""
    query = Q(visibility=Visibility.PUBLIC)
    tenants = tenant_ids(user)
    if tenants or is_platform_admin(user):
        query |= Q(visibility=Visibility.MUNICIPAL)
    if is_platform_admin(user):
        query = Q()
    elif tenants:
        query |= Q(owner_id__in=tenants) | Q(shared_with__in=tenants)
    return Q(status=Status.PUBLISHED) & query


def visible_offerings(user: AnyUser) -> QuerySet[Offering]:
    return Offering.objects.filter(visible_q(user)).distinct()


def access_offering(user: AnyUser, pk: int) -> Offering:
    """An offering the user may see (editors also see their drafts and retired ones)."""
    offering = Offering.objects.select_related("provider", "owner").filter(pk=pk).first()
    if offering is None:
        raise NotFound()
    if visible_offerings(user).filter(pk=pk).exists():
        return offering
    if can_edit(user, offering.provider):
        return offering
    raise NotFound()


def access_offering_for_edit(user: AnyUser, pk: int) -> Offering:
    permissions.require_login(user)
    offering = access_offering(user, pk)
    if not can_edit(user, offering.provider):
        raise PermissionDenied()
    return offering


def access_provider_for_edit(user: AnyUser, slug: str) -> Provider:
    """A provider by slug for someone who may edit it; others get 404/403."""
    permissions.require_login(user)
    provider = Provider.objects.select_related("organisation").filter(slug=slug).first()
    if provider is None:
        raise NotFound()
    if not can_edit(user, provider):
        raise PermissionDenied()
    return provider


def organisation_paths(user: AnyUser) -> list[str]:
    """Paths of the units the user works in (for organisation bundle grants)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    from laeringsarena.people.models import Employment

    units = Employment.objects.active().filter(person_id=person_id).values_list("unit__path", flat=True)
    return list(units)


def bundle_ids(user: AnyUser) -> set[int]:
    """Bundles the user holds today, personally or through their organisation."""
    if user is None or not user.is_authenticated:
        return set()
    today = timezone.localdate()
    grants = BundleGrant.objects.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    holders = Q(pk__in=[])
    person_id = getattr(user, "person_id", None)
    if person_id:
        holders |= Q(person_id=person_id)
    paths = organisation_paths(user)
    if paths:
        ancestor_ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
        holders |= Q(organisation_id__in=ancestor_ids)
    return set(grants.filter(holders).values_list("bundle_id", flat=True))


def has_content_access(user: AnyUser, offering: Offering) -> bool:
    """May the user open the content? Subscription offerings need a bundle grant."""
    if offering.price_model != PriceModel.SUBSCRIPTION:
        return True
    if is_platform_admin(user) or can_edit(user, offering.provider):
        return True
    held = bundle_ids(user)
    return bool(held) and offering.bundles.filter(pk__in=held).exists()


def rating_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations a leader/HR may rate for (employer rating)."""
    return permissions.organisations(user, Permission.AGGREGATES_VIEW).filter(
        kind__in=["municipality", "county"]
    )
