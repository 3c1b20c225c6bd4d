"""cmi5 as an LMS: import course packages, register learners, launch AUs, derive satisfaction.

The only write path of the app. The LRS is used through its public services
(``record_statements``, ``put_state``, ``put_agent_profile``, ``create_client``); the statements
the AUs send arrive through ``lrs.signals.statements_stored`` and are evaluated by
:func:`statements_stored` against each AU's moveOn criterion.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import posixpath
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.cmi5 import vocabulary as v
from laeringsarena.cmi5.completion import evaluate
from laeringsarena.cmi5.models import (
    AssignableUnit,
    Block,
    Course,
    LaunchMode,
    LaunchSession,
    Registration,
)
from laeringsarena.cmi5.statements import au_object, build_statement, end_client, iso_duration, lms_authority
from laeringsarena.cmi5.structure import AuSpec, BlockSpec, Package, PackageError, read_package
from laeringsarena.core.errors import Conflict, InvalidInput, PermissionDenied
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

log = logging.getLogger(__name__)

# How long an AU launch session (and the LRS credentials of its auth token) lives.
SESSION_LIFETIME = dt.timedelta(hours=4)


# ---------------------------------------------------------------------------------------------
# Import


def import_course(
    user: User | None,
    organisation: Organisation,
    upload: IO[bytes],
    *,
    filename: str = "",
    replace: bool = False,
) -> Course:
    """Import a course package (zip with cmi5.xml, or a standalone cmi5.xml) for ``organisation``.

    ``user`` None means the command line (trusted operator). A course whose publisher id is
    already imported in the municipality is refused unless ``replace`` is set; replacing keeps
    the generated ids of AUs and blocks with the same publisher id, so registrations carry on.
    """
    if user is not None:
        permissions.require(user, Permission.LEARNING_MANAGE, organisation)
    tenant = organisation.tenant or organisation
    package = read_package(upload, filename)
    existing = Course.objects.filter(tenant=tenant, publisher_id=package.course.publisher_id).first()
    if existing is not None and not replace:
        raise Conflict(
            _(
                "Kurset «%(title)s» (%(id)s) er allerede importert i %(tenant)s. "
                "Velg «Erstatt» for å laste opp en ny versjon."
            )
            % {"title": existing.name, "id": existing.publisher_id, "tenant": tenant.name}
        )
    if existing is not None and user is not None:
        permissions.require(user, Permission.LEARNING_MANAGE, existing.organisation)
    prefix, stored = _store_files(package)
    try:
        with transaction.atomic():
            course = _save_structure(package, organisation, tenant, user, existing, prefix, stored)
    except BaseException:
        _delete_files(prefix, stored.values())
        raise
    if existing is not None and existing.storage_prefix and existing.storage_prefix != prefix:
        old_prefix, old_files = existing.storage_prefix, list(existing.files.values())
        transaction.on_commit(lambda: _delete_files(old_prefix, old_files))
    return course


def _store_files(package: Package) -> tuple[str, dict[str, str]]:
    if package.archive is None:
        return "", {}
    prefix = f"cmi5/{uuid.uuid4().hex}/"
    stored: dict[str, str] = {}
    try:
        for path, info in package.members.items():
            with package.archive.open(info) as member:
                stored[path] = default_storage.save(
                    prefix + path, File(member, name=posixpath.basename(path))
                )
    except BaseException:
        _delete_files(prefix, stored.values())
        raise
    return prefix, stored


def _delete_files(prefix: str, names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort clean-up
            log.warning("cmi5: could not delete %s", name)


def _activity_id(kind: str) -> str:
    return f"{settings.PUBLIC_URL}/cmi5/{kind}/{uuid.uuid4()}"


def _save_structure(
    package: Package,
    organisation: Organisation,
    tenant: Organisation,
    user: User | None,
    existing: Course | None,
    prefix: str,
    stored: dict[str, str],
) -> Course:
    spec = package.course
    if existing is None:
        course = Course(
            organisation=organisation,
            tenant=tenant,
            publisher_id=spec.publisher_id,
            activity_id=_activity_id("kurs"),
        )
    else:
        course = existing
    course.title, course.description = spec.title, spec.description
    course.structure = spec.as_dict()
    course.storage_prefix, course.files = prefix, stored
    course.imported_by = user if user is not None and user.is_authenticated else None
    course.save()

    old_blocks = {b.publisher_id: b for b in course.blocks.all()} if existing else {}
    old_aus = {a.publisher_id: a for a in course.aus.all()} if existing else {}
    kept_blocks: set[int] = set()
    kept_aus: set[int] = set()
    counter = {"au": 0, "block": 0}

    def save(children: list[AuSpec | BlockSpec], parent: Block | None) -> None:
        for child in children:
            if isinstance(child, BlockSpec):
                block = old_blocks.get(child.publisher_id) or Block(
                    course=course, publisher_id=child.publisher_id, activity_id=_activity_id("blokk")
                )
                block.parent, block.title, block.description = parent, child.title, child.description
                block.order = counter["block"]
                counter["block"] += 1
                block.save()
                kept_blocks.add(block.pk)
                save(child.children, block)
            else:
                au = old_aus.get(child.publisher_id) or AssignableUnit(
                    course=course, publisher_id=child.publisher_id, activity_id=_activity_id("au")
                )
                au.block = parent
                au.title, au.description, au.url = child.title, child.description, child.url
                au.launch_method, au.move_on = child.launch_method, child.move_on
                au.mastery_score = child.mastery_score
                au.launch_parameters, au.entitlement_key = child.launch_parameters, child.entitlement_key
                au.activity_type = child.activity_type
                au.order = counter["au"]
                counter["au"] += 1
                au.save()
                kept_aus.add(au.pk)

    save(spec.children, None)
    if existing is not None:
        course.aus.exclude(pk__in=kept_aus).delete()
        course.blocks.exclude(pk__in=kept_blocks).delete()
        for registration in course.registrations.all():
            evaluate(registration, session_id=None)
    return course


def delete_course(user: User, course: Course) -> None:
    permissions.require(user, Permission.LEARNING_MANAGE, course.organisation)
    prefix, names = course.storage_prefix, list(course.files.values())
    with transaction.atomic():
        course.delete()
        transaction.on_commit(lambda: _delete_files(prefix, names))


# ---------------------------------------------------------------------------------------------
# Registration and launch


def _agent(person: Person) -> dict[str, Any]:
    from laeringsarena.lrs.agents import agent_for

    return agent_for(person)


def learner(user: User | AnonymousUser | None) -> Person:
    """The person behind a logged-in user (only people can be learners)."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied(_("Bare personer med en læringskonto kan ta kurs."))
    return person


def registration_for(person: Person, course: Course) -> Registration:
    """The person's registration in the course, created (and evaluated, cmi5 §9.6.1) on first use."""
    registration = Registration.objects.filter(course=course, person=person).first()
    if registration is not None:
        return registration
    with transaction.atomic():
        registration, created = Registration.objects.get_or_create(course=course, person=person)
        if created:
            evaluate(registration, session_id=None)
    return registration


@dataclass
class Launch:
    url: str  # where to send the learner's browser
    session: LaunchSession


def launch(
    user: User,
    au: AssignableUnit,
    *,
    base_url: str,
    return_url: str,
    launch_mode: str = LaunchMode.NORMAL,
    languages: str = "nb-NO",
) -> Launch:
    """Launch an AU for the logged-in learner (cmi5 §8, §10, §11).

    Abandons any open session of the registration, writes LMS.LaunchData and the learner
    preferences, records "launched", and returns the AU's URL with the launch parameters.
    ``base_url`` is this site's absolute root (scheme://host) as the learner's browser sees it.
    """
    from laeringsarena.lrs import services as lrs

    person = learner(user)
    if launch_mode not in LaunchMode.values:
        raise InvalidInput(_("Ukjent startmodus: %(mode)s") % {"mode": launch_mode})
    course = au.course
    registration = registration_for(person, course)
    agent = _agent(person)
    now = timezone.now()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        for previous in LaunchSession.objects.filter(
            registration=registration, terminated_at__isnull=True, abandoned_at__isnull=True
        ).select_related("au"):
            _abandon(previous, agent, now)
        session = LaunchSession.objects.create(
            registration=registration,
            au=au,
            launch_mode=launch_mode,
            fetch_token_hash=_hash(secret),
            launched_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
        au_url = content_url(au, base_url)
        launch_data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": au.publisher_id}]},
                "extensions": {v.EXT_SESSION_ID: str(session.session_id)},
            },
            "launchMode": launch_mode,
            "launchMethod": au.launch_method,
            "moveOn": au.move_on,
            "returnURL": return_url,
        }
        if au.mastery_score is not None:
            launch_data["masteryScore"] = float(au.mastery_score)
        if au.launch_parameters:
            launch_data["launchParameters"] = au.launch_parameters
        if au.entitlement_key:
            launch_data["entitlementKey"] = {"courseStructure": au.entitlement_key}
        lrs.put_state(
            course.tenant,
            activity_id=au.activity_id,
            agent=agent,
            state_id=v.LAUNCH_DATA_STATE_ID,
            registration=str(registration.uuid),
            content=json.dumps(launch_data).encode(),
            content_type="application/json",
        )
        _write_preferences(course.tenant, agent, languages)
        extensions: dict[str, Any] = {
            v.EXT_SESSION_ID: str(session.session_id),
            v.EXT_LAUNCH_MODE: launch_mode,
            v.EXT_LAUNCH_URL: au_url,
            v.EXT_MOVE_ON: au.move_on,
        }
        if au.mastery_score is not None:
            extensions[v.EXT_MASTERY_SCORE] = float(au.mastery_score)
        if au.launch_parameters:
            extensions[v.EXT_LAUNCH_PARAMETERS] = au.launch_parameters
        lrs.record_statements(
            course.tenant,
            [
                build_statement(
                    agent,
                    v.LAUNCHED,
                    au_object(au),
                    registration,
                    au.publisher_id,
                    extensions,
                    now,
                )
            ],
            authority=lms_authority(),
        )
    query = {
        "endpoint": base_url.rstrip("/") + "/xapi/",
        "fetch": base_url.rstrip("/") + f"/cmi5/fetch/{secret}",
        "actor": json.dumps(agent, separators=(",", ":"), ensure_ascii=False),
        "registration": str(registration.uuid),
        "activityId": au.activity_id,
    }
    return Launch(url=_with_query(au_url, query), session=session)


def _write_preferences(tenant: Organisation, agent: dict[str, Any], languages: str) -> None:
    from laeringsarena.lrs import services as lrs

    current = lrs.get_agent_profile(tenant, agent=agent, profile_id=v.LEARNER_PREFERENCES_PROFILE_ID)
    preferences: dict[str, Any] = {}
    if current is not None:
        try:
            preferences = json.loads(current[0])
        except ValueError:
            preferences = {}
        if not isinstance(preferences, dict):
            preferences = {}
    wanted = dict(preferences)
    wanted.setdefault("languagePreference", languages)
    wanted.setdefault("audioPreference", "on")
    if wanted != preferences or current is None:
        lrs.put_agent_profile(
            tenant,
            agent=agent,
            profile_id=v.LEARNER_PREFERENCES_PROFILE_ID,
            content=json.dumps(wanted).encode(),
            content_type="application/json",
        )


def content_url(au: AssignableUnit, base_url: str) -> str:
    """The AU's absolute URL without the cmi5 launch parameters (our origin for packaged AUs)."""
    if au.is_absolute:
        return au.url
    parts = urlsplit(au.url)
    path = posixpath.normpath(unquote(parts.path))
    location = f"{base_url.rstrip('/')}/cmi5/innhold/{au.course.uuid}/{quote(path)}"
    return location + (f"?{parts.query}" if parts.query else "")


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    own = [(k, val) for k, val in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query = urlencode([*own, *params.items()], quote_via=quote)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _abandon(session: LaunchSession, agent: dict[str, Any], now: dt.datetime) -> None:
    """Record "abandoned" for a session that was never terminated (cmi5 §9.3.6) and end its token."""
    from laeringsarena.lrs import services as lrs

    last = session.last_statement_at or session.launched_at
    statement = build_statement(
        agent,
        v.ABANDONED,
        au_object(session.au),
        session.registration,
        session.au.publisher_id,
        {v.EXT_SESSION_ID: str(session.session_id)},
        now,
        result={"duration": iso_duration((last - session.launched_at).total_seconds())},
    )
    session.abandoned_at = now
    session.save(update_fields=["abandoned_at"])
    end_client(session, now)
    lrs.record_statements(session.registration.course.tenant, [statement], authority=lms_authority())


# ---------------------------------------------------------------------------------------------
# The fetch URL (cmi5 §8.2)


ERROR_ALREADY_USED = "1"
ERROR_SECURITY = "2"
ERROR_APPLICATION = "3"


def fetch_auth_token(secret: str) -> dict[str, str]:
    """The JSON body for a POST to the fetch URL: the auth token once, then an error (§8.2.3)."""
    from laeringsarena.lrs import services as lrs

    now = timezone.now()
    with transaction.atomic():
        session = (
            LaunchSession.objects.select_for_update()
            .select_related("registration__person", "registration__course__tenant")
            .filter(fetch_token_hash=_hash(secret))
            .first()
        )
        if session is None:
            return {"error-code": ERROR_SECURITY, "error-text": _("Ukjent eller ugyldig fetch-adresse.")}
        if session.fetched_at is not None:
            return {
                "error-code": ERROR_ALREADY_USED,
                "error-text": _("Tokenet for denne økten er allerede hentet."),
            }
        if not session.is_open or session.expires_at <= now:
            return {"error-code": ERROR_ALREADY_USED, "error-text": _("Økten er avsluttet eller utløpt.")}
        registration = session.registration
        client, client_secret = lrs.create_client(
            registration.course.tenant,
            name=f"cmi5 {session.session_id}",
            expires_at=session.expires_at,
            actor=_agent(registration.person),
            # The AU's token reaches only this learner's statements and documents of this
            # registration, and cannot void.
            scope=lrs.ClientScope(
                agent=_agent(registration.person), registration=str(registration.uuid), can_void=False
            ),
        )
        session.fetched_at = now
        session.lrs_client_key = client.key
        session.save(update_fields=["fetched_at", "lrs_client_key"])
    token = base64.b64encode(f"{client.key}:{client_secret}".encode()).decode()
    return {"auth-token": token}


# ---------------------------------------------------------------------------------------------
# Helpers for views


def find_au(activity_id: str) -> AssignableUnit | None:
    return AssignableUnit.objects.select_related("course").filter(activity_id=activity_id).first()


def course_error_summary(err: PackageError) -> list[str]:
    """Human lines for a package error: «linje 12: …»."""
    lines = []
    for entry in err.errors:
        prefix = _("linje %(line)s: ") % {"line": entry["line"]} if entry.get("line") else ""
        lines.append(f"{prefix}{entry['message']}")
    return lines
