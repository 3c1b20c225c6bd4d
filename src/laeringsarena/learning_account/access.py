"""Who may open a learning account. Built on :mod:`laeringsarena.accounts.permissions`.

- The person: everything in their own account, always.
- A leader or HR (``LEARNING_RECORDS_VIEW``): only while the person has an employment *in force*
  in a unit inside the caller's scope, and then only the employer's part of the account
  (:func:`laeringsarena.learning_account.selectors.employer_view`). When the employment ends,
  the former employer's access ends.
- Nobody else. A person the caller cannot see at all is "not found" (404); a former employee
  the caller can still see in the personnel history is "permission denied" (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.learning_account.models import DeletionRequest, Upload
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from laeringsarena.organisations.models import Organisation

# The permission of those who keep the personnel records and act on deletion requests (HR).
HR_PERMISSION = Permission.PEOPLE_IMPORT


def person_of(user: Any) -> Person:
    """The person behind the login; a learning account needs one."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied(_("Innloggingen din er ikke knyttet til en person og har ingen læringskonto."))
    return person


def employer_tenant_ids(user: Any, person: Person) -> set[int]:
    """Municipalities whose part of the account the user may see: active employments in scope."""
    paths = permissions.scope_paths(user, Permission.LEARNING_RECORDS_VIEW)
    if not paths:
        return set()
    active = Employment.objects.active().filter(person=person).select_related("unit")
    return {e.organisation_id for e in active if any(e.unit.path.startswith(path) for path in paths)}


def access_account(user: Any, person_id: int) -> tuple[Person, set[int]]:
    """Another person's account as their current employer sees it: the person and the employers."""
    permissions.require_login(user)
    person = permissions.access_person(user, person_id)  # 404 for people outside any scope
    tenant_ids = employer_tenant_ids(user, person)
    if not tenant_ids:
        raise PermissionDenied(
            _(
                "Du har ikke tilgang til denne læringskontoen. Arbeidsgiveren ser kontoen bare så "
                "lenge personen er ansatt i en enhet du har ansvar for."
            )
        )
    return person, tenant_ids


def access_upload(user: Any, pk: int) -> Upload:
    """An uploaded document: the owner's, or one the owner made visible to a current employer."""
    permissions.require_login(user)
    upload = Upload.objects.filter(pk=pk).select_related("person").first()
    if upload is None:
        raise NotFound()
    if upload.person_id == getattr(user, "person_id", None):
        return upload
    if not upload.visible_to_employer or not employer_tenant_ids(user, upload.person):
        raise NotFound()
    return upload


def hr_tenants(user: Any) -> list[Organisation]:
    """Municipalities where the user acts on deletion requests."""
    return [t for t in permissions.tenants(user) if permissions.has_permission(user, HR_PERMISSION, t)]


def access_deletion_request(user: Any, pk: int) -> DeletionRequest:
    permissions.require_login(user)
    request = DeletionRequest.objects.filter(pk=pk).select_related("person", "tenant").first()
    if request is None or not permissions.has_permission(user, Permission.ORGANISATION_VIEW, request.tenant):
        raise NotFound()
    if not permissions.has_permission(user, HR_PERMISSION, request.tenant):
        raise PermissionDenied()
    return request
