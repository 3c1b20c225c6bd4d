"""Who may open the learning_account app's views and API operations (see core/tests/test_access.py).

The account is the person's own. Leaders and HR of a *current* employer see the employer's
part of it (and documents the person chose to show); nobody else sees anything. The demo's
"mover" (a helsefagarbeider at Fjordvik sykehjem) used to work in Nordøy's home care: no
Nordøy login reaches that account (tests/test_access_rules.py checks Nordøy's home-care leader).
"""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.learning_account import demo
from laeringsarena.learning_account.models import (
    AccountEvent,
    DeletionRequest,
    EventKind,
    OwnEntry,
    Upload,
)
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import NOT_ALLOWED, Expectations, always, logged_in, only

# Current employer of Ingrid and Amir (Fjordvik sykehjem, helse og omsorg): their leaders and HR.
EMPLOYER = ("leder", "kommunalsjef", "hr", "admin")
POST_ONLY: Expectations = {"own_prior_learning": always(NOT_ALLOWED)}

WEB: dict[str, Expectations] = {
    "learning_account:account": {None: logged_in},
    "learning_account:visibility": {None: logged_in},
    "learning_account:export": {None: logged_in},
    "learning_account:cv": {None: logged_in},
    "learning_account:deletion": {None: logged_in},
    "learning_account:deletion_receipt": {"receipt": only("ansatt_nordoy")},
    "learning_account:upload_new": {None: logged_in},
    "learning_account:upload_edit": {
        "shown_upload": only("ansatt"),
        "private_upload": only("ansatt"),
    },
    "learning_account:upload_file": {
        "shown_upload": only("ansatt", *EMPLOYER),
        "private_upload": only("ansatt"),
        "former_employer_upload": only(),  # the mover's own (no fixed login)
    },
    "learning_account:upload_delete": {"shown_upload": always(NOT_ALLOWED)},
    "learning_account:person": {
        "employee": only("ansatt", *EMPLOYER),
        "former_employee": only(*EMPLOYER),
    },
    "learning_account:deletion_requests": {None: only("hr", "admin")},
    "learning_account:deletion_request": {"fjordvik_deletion_request": only("hr", "admin")},
    "learning_account:entry_new": {"education_kind": logged_in},
    "learning_account:entry_edit": {"own_prior_learning": only("ansatt")},
    "learning_account:entry_delete": POST_ONLY,
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/account": {None: logged_in},
    "GET /api/v1/me/account/export": {None: logged_in},
    "GET /api/v1/me/account/deletion": {None: logged_in},
    # The matrix posts {} without "confirm": a 400 for everyone logged in, nothing is deleted.
    "POST /api/v1/me/account/deletion": {None: logged_in},
    "GET /api/v1/learning-accounts/{person_id}": {
        "employee": only("ansatt", *EMPLOYER),
        "former_employee": only(*EMPLOYER),
    },
}


def targets() -> dict[str, dict[str, object]]:
    ingrid = User.objects.get(email="ansatt@fjordvik.demo").person_id
    amir = User.objects.get(email="ansatt2@fjordvik.demo").person_id
    sunniva = User.objects.get(email="ansatt@nordoy.demo").person_id
    shown = Upload.objects.get(person_id=ingrid, visible_to_employer=True, kind="course_certificate")
    private = Upload.objects.get(person_id=ingrid, visible_to_employer=False)
    mover = demo.mover()
    assert mover is not None
    former = Upload.objects.get(person_id=mover.person_id, issuer="Nordøy kommune")
    prior = OwnEntry.objects.get(person_id=ingrid, kind="prior_learning")
    receipt = AccountEvent.objects.filter(person_id=sunniva, kind=EventKind.DELETION).first()
    assert receipt is not None
    request, _created = DeletionRequest.objects.get_or_create(
        person_id=amir,
        tenant=Organisation.objects.get(slug="fjordvik", kind="municipality"),
        defaults={"items": [{"kind": "completion", "id": 1, "title": "Test", "reason": "Test"}]},
    )
    return {
        "shown_upload": {"pk": shown.pk},
        "private_upload": {"pk": private.pk},
        "former_employer_upload": {"pk": former.pk},
        "employee": {"pk": ingrid, "person_id": ingrid},
        "former_employee": {"pk": mover.person_id, "person_id": mover.person_id},
        "receipt": {"pk": receipt.pk},
        "fjordvik_deletion_request": {"pk": request.pk},
        "education_kind": {"kind_slug": "utdanning"},
        "own_prior_learning": {"kind_slug": "realkompetanse", "pk": prior.prior_learning_id},
    }
