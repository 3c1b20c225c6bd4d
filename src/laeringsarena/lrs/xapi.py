"""The xAPI HTTP interface at /xapi/ (xAPI 1.0.3 and 2.0.0).

Errors here follow the xAPI specification, not RFC 9457: a status code and a short JSON
body ``{"error": "<field>: <message>"}`` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
import os
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt

from laeringsarena.core.errors import Conflict, LaeringsarenaError
from laeringsarena.lrs import selectors, services
from laeringsarena.lrs import validation as v
from laeringsarena.lrs.models import Activity, Document, DocumentKind, LrsClient, Statement
from laeringsarena.lrs.validation import StatementError, fail

logger = logging.getLogger(__name__)

SUPPORTED_VERSIONS = ["1.0.3", "2.0.0"]


def default_version() -> str:
    """The version answered when a request names none (or a wrong one): 2.0.0 unless configured.

    An LRS deployed for 1.0.3 clients sets LAERINGSARENA_LRS_DEFAULT_VERSION=1.0.3.
    """
    configured = getattr(settings, "LRS_DEFAULT_VERSION", None) or os.environ.get(
        "LAERINGSARENA_LRS_DEFAULT_VERSION", "2.0.0"
    )
    return "1.0.3" if str(configured).startswith("1.") else "2.0.0"


VERSION_RE = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Content-Type, Content-Length, Authorization, If-Match, If-None-Match, X-Experience-API-Version, "
        "Accept-Language"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, "
        "X-Experience-API-Version, X-Experience-API-Consistent-Through"
    ),
}
ALTERNATE_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}


CHALLENGE = {"WWW-Authenticate": 'Basic realm="xAPI"'}


class XapiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class XapiRequest:
    """The parts of an HTTP request an xAPI resource needs, after the alternate syntax is unfolded."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.method = request.method or "GET"
        self.params: dict[str, str] = {key: request.GET[key] for key in request.GET}
        self.headers: dict[str, str] = {
            "authorization": request.META.get("HTTP_AUTHORIZATION", ""),
            "x-experience-api-version": request.META.get("HTTP_X_EXPERIENCE_API_VERSION", ""),
            "content-type": request.META.get("CONTENT_TYPE", ""),
            "if-match": request.META.get("HTTP_IF_MATCH", ""),
            "if-none-match": request.META.get("HTTP_IF_NONE_MATCH", ""),
            "accept-language": request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        }
        self.body: bytes = request.body if self.method in ("POST", "PUT") else b""
        self.version = "1.0.3"
        self.client: LrsClient | None = None
        if self.method == "POST" and "method" in request.GET:
            self._unfold_alternate()

    def _unfold_alternate(self) -> None:
        """1.0.3 alternate request syntax: POST ?method=X with headers and content as form fields."""
        method = self.request.GET["method"].upper()
        if set(self.request.GET) - {"method"}:
            raise XapiError(400, "method: the alternate syntax allows no other query parameters")
        if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            raise XapiError(400, "method: must be GET, PUT, POST or DELETE")
        if not self.headers["content-type"].lower().startswith("application/x-www-form-urlencoded"):
            raise XapiError(400, "Content-Type: the alternate syntax needs application/x-www-form-urlencoded")
        form = QueryDict(self.body, encoding="utf-8")
        self.method = method
        self.params = {}
        content = None
        for key in form:
            lower = key.lower()
            if lower in ALTERNATE_HEADERS:
                self.headers[lower] = form[key]
            elif key == "content":
                content = form[key]
            else:
                self.params[key] = form[key]
        self.body = (content or "").encode("utf-8")
        self.alternate = True

    @property
    def content_type(self) -> str:
        return self.headers["content-type"].split(";")[0].strip().lower()

    def json_body(self, name: str = "content") -> Any:
        try:
            return services.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise fail(name, "is not valid JSON") from None


def _response(status: int, body: bytes | str = b"", content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    return response


def _json(value: Any, status: int = 200) -> HttpResponse:
    return _response(status, services.dumps(value), "application/json; charset=utf-8")


def _error(status: int, message: str) -> HttpResponse:
    return _json({"error": message}, status)


def _authenticate(xreq: XapiRequest) -> LrsClient:
    header = xreq.headers["authorization"]
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "basic" or not credentials:
        raise XapiError(401, "Authorization: Basic credentials are required", CHALLENGE)
    try:
        key, _, secret = base64.b64decode(credentials.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise XapiError(401, "Authorization: malformed Basic credentials", CHALLENGE) from None
    client = services.authenticate(key, secret)
    if client is None:
        raise XapiError(
            401,
            "Authorization: unknown, expired or revoked credentials",
            CHALLENGE,
        )
    return client


def _negotiate_version(xreq: XapiRequest) -> str:
    requested = xreq.headers["x-experience-api-version"].strip()
    if not requested:
        raise XapiError(400, "X-Experience-API-Version: the header is required")
    match = VERSION_RE.match(requested)
    if not match:
        raise XapiError(400, f"X-Experience-API-Version: {requested} is not supported (use 1.0.3 or 2.0.0)")
    return "2.0.0" if match.group(1) == "2.0" else "1.0.3"


def xapi_endpoint(
    handler: Callable[[XapiRequest], HttpResponse], *, public: bool = False
) -> Callable[[HttpRequest], HttpResponse]:
    """Wrap a resource handler: CORS, alternate syntax, version, authentication, xAPI errors."""

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        version = default_version()
        try:
            if request.method == "OPTIONS":
                response = _response(204)
            else:
                xreq = XapiRequest(request)
                if getattr(xreq, "alternate", False) and xreq.headers["x-experience-api-version"].startswith(
                    "2."
                ):
                    raise XapiError(400, "method: the alternate request syntax is not part of xAPI 2.0")
                if not public:
                    version = _negotiate_version(xreq)
                    xreq.client = _authenticate(xreq)
                if public:
                    requested = xreq.headers["x-experience-api-version"].strip()
                    if VERSION_RE.match(requested):
                        version = "2.0.0" if requested.startswith("2.") else "1.0.3"
                xreq.version = version
                response = handler(xreq)
                if xreq.method == "HEAD" or request.method == "HEAD":
                    response.content = b""
        except XapiError as error:
            response = _error(error.status, error.message)
            for name, value in error.headers.items():
                response[name] = value
        except Conflict as error:
            response = _error(409, str(error.detail))
        except StatementError as error:
            response = _error(400, str(error.detail))
        except LaeringsarenaError as error:
            response = _error(error.status, str(error.detail))
        except DatabaseError:
            logger.exception("xAPI %s %s: database error, answered 503", request.method, request.path)
            response = _error(503, "the store is busy; nothing was stored, try again")
        if handler is statements and request.method in ("GET", "HEAD", "POST"):
            response.headers.setdefault(
                "X-Experience-API-Consistent-Through", v.format_timestamp(timezone.now())
            )
        for name, value in CORS_HEADERS.items():
            response[name] = value
        response["X-Experience-API-Version"] = version
        if handler is statements and request.method in ("POST", "PUT"):
            # After the answer has been sent (SQLite: copy the WAL into the database file).
            response._resource_closers.append(services.checkpoint_if_due)  # type: ignore[attr-defined]
        return response

    return view


def _check_params(xreq: XapiRequest, allowed: set[str]) -> None:
    unknown = set(xreq.params) - allowed
    if unknown:
        raise fail(sorted(unknown)[0], "is not a parameter of this resource")


def _required(xreq: XapiRequest, name: str) -> str:
    value = xreq.params.get(name)
    if value is None or value == "":
        raise fail(name, "is required")
    return value


def _iri_param(xreq: XapiRequest, name: str, *, required: bool = True) -> str:
    value = _required(xreq, name) if required else xreq.params.get(name, "")
    if value and not v.is_iri(value):
        raise fail(name, "must be an IRI")
    return value


# --- About ------------------------------------------------------------------------------------


def about(xreq: XapiRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XapiError(405, "About only answers GET")
    return _json({"version": SUPPORTED_VERSIONS, "extensions": {}})


# --- Statements -------------------------------------------------------------------------------


def _parse_multipart(xreq: XapiRequest) -> tuple[bytes, dict[str, services.RawAttachment]]:
    """The statement JSON and the attachment parts of a multipart/mixed request."""
    header = xreq.headers["content-type"]
    match = re.search(r'boundary="?([^";]+)"?', header, re.IGNORECASE)
    if not match:
        raise fail("Content-Type", "multipart/mixed needs a boundary")
    boundary = b"--" + match.group(1).encode()
    chunks = xreq.body.split(boundary)
    parts: list[tuple[dict[str, str], bytes]] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk.lstrip(b"\n")
        head, separator, body = chunk.partition(b"\r\n\r\n")
        if not separator:
            head, separator, body = chunk.partition(b"\n\n")
        headers = {}
        for line in head.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if body.endswith(b"\r\n"):
            body = body[:-2]
        elif body.endswith(b"\n"):
            body = body[:-1]
        parts.append((headers, body))
    if not parts:
        raise fail("content", "the multipart body has no parts")
    first_headers, first = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise fail("content", "the first part of a multipart/mixed request must be application/json")
    attachments: dict[str, services.RawAttachment] = {}
    for index, (headers, body) in enumerate(parts[1:], start=1):
        sha2 = headers.get("x-experience-api-hash")
        if not sha2:
            raise fail(f"part[{index}]", "X-Experience-API-Hash header is required")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise fail(f"part[{index}]", "Content-Transfer-Encoding: binary is required")
        if (
            hashlib.sha256(body).hexdigest() != sha2.lower()
            and hashlib.sha512(body).hexdigest() != sha2.lower()
        ):
            raise fail(f"part[{index}]", "X-Experience-API-Hash does not match the content")
        attachments[sha2] = services.RawAttachment(
            headers.get("content-type", "application/octet-stream"), body
        )
    return first, attachments


def _statement_body(xreq: XapiRequest) -> tuple[Any, dict[str, services.RawAttachment]]:
    if xreq.content_type == "multipart/mixed":
        body, attachments = _parse_multipart(xreq)
        try:
            return services.loads(body), attachments
        except (ValueError, UnicodeDecodeError):
            raise fail("statement", "is not valid JSON") from None
    if xreq.content_type not in ("application/json", "") and not getattr(xreq, "alternate", False):
        raise fail("Content-Type", "must be application/json or multipart/mixed")
    return xreq.json_body("statement"), {}


def statements(xreq: XapiRequest) -> HttpResponse:
    assert xreq.client is not None
    organisation = xreq.client.organisation
    authority = services.client_authority(xreq.client)
    if xreq.method == "PUT":
        _check_params(xreq, {"statementId"})
        statement_id = _required(xreq, "statementId")
        if not v.is_uuid(statement_id):
            raise fail("statementId", "must be a UUID")
        body, attachments = _statement_body(xreq)
        if not isinstance(body, dict):
            raise fail("statement", "PUT takes exactly one statement object")
        services.store_statements(
            organisation,
            [body],
            authority=authority,
            version=xreq.version,
            attachments=attachments,
            statement_id=statement_id,
            client=xreq.client,
        )
        return _response(204)
    if xreq.method == "POST":
        _check_params(xreq, set())
        body, attachments = _statement_body(xreq)
        items = body if isinstance(body, list) else [body]
        ids = services.store_statements(
            organisation,
            items,
            authority=authority,
            version=xreq.version,
            attachments=attachments,
            client=xreq.client,
        )
        return _json(ids)
    if xreq.method in ("GET", "HEAD"):
        return _get_statements(xreq)
    raise XapiError(405, "statements answer GET, HEAD, PUT and POST")


def _languages(xreq: XapiRequest) -> list[str]:
    return [part.split(";")[0].strip() for part in xreq.headers["accept-language"].split(",") if part.strip()]


def _get_statements(xreq: XapiRequest) -> HttpResponse:
    assert xreq.client is not None
    organisation = xreq.client.organisation
    # The request time, taken before the query (see docs/lrs.md, "Consistent-Through").
    consistent = v.format_timestamp(timezone.now())
    params = dict(xreq.params)
    for name in ("statementId", "voidedStatementId"):
        if name in params:
            allowed = {name, "format", "attachments"}
            other = set(params) - allowed
            if other:
                raise fail(sorted(other)[0], f"is not allowed together with {name}")
            if "statementId" in params and "voidedStatementId" in params:
                raise fail("voidedStatementId", "is not allowed together with statementId")
            statement_format = params.get("format", "exact")
            if statement_format not in ("exact", "ids", "canonical"):
                raise fail("format", "must be exact, ids or canonical")
            with_attachments = selectors._flag(params, "attachments")
            row = selectors.single_statement(
                organisation, params[name], voided=name == "voidedStatementId", scope=xreq.client
            )
            if row is None:
                raise XapiError(404, f"{name}: no such statement")
            statement = json.loads(row.payload)
            if statement_format != "exact":
                statement = selectors.format_statement(statement, statement_format, _languages(xreq))
            text = json.dumps(statement, ensure_ascii=False)
            hashes = selectors._hashes(statement) if with_attachments else set()
            response = _statements_response(xreq, text, hashes, with_attachments)
            response["Last-Modified"] = http_date(row.stored.timestamp())
            response["X-Experience-API-Consistent-Through"] = consistent
            return response
    page = selectors.query_statements(organisation, params, languages=_languages(xreq), scope=xreq.client)
    more = ""
    if page.more:
        more = f"{xreq.request.path.rstrip('/')}?more={urllib.parse.quote(page.more)}"
    text = '{"statements":[' + ",".join(page.payloads) + '],"more":' + json.dumps(more) + "}"
    with_attachments = params.get("attachments", "false").lower() == "true" or bool(page.attachment_hashes)
    response = _statements_response(xreq, text, page.attachment_hashes, with_attachments)
    response["X-Experience-API-Consistent-Through"] = consistent
    response["Last-Modified"] = http_date((page.last_stored or timezone.now()).timestamp())
    return response


def _statements_response(
    xreq: XapiRequest, text: str, hashes: set[str], with_attachments: bool
) -> HttpResponse:
    if not with_attachments:
        return _response(200, text, "application/json; charset=utf-8")
    assert xreq.client is not None
    boundary = "xapi-" + hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - a boundary, not security
    parts = [
        f"--{boundary}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n".encode()
        + text.encode()
        + b"\r\n"
    ]
    for attachment in selectors.attachments_for(xreq.client.organisation, hashes):
        parts.append(
            (
                f"--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {attachment.sha2}\r\n\r\n"
            ).encode()
            + bytes(attachment.content)
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return _response(200, body, f'multipart/mixed; boundary="{boundary}"')


# --- Documents --------------------------------------------------------------------------------


def _agent_param(xreq: XapiRequest, *, required: bool = True) -> dict[str, Any] | None:
    return v.parse_agent_parameter(xreq.params.get("agent"), "agent", required=required)


def _etag(document: Document) -> str:
    return f'"{document.etag}"'


def _check_preconditions(
    xreq: XapiRequest, document: Document | None, *, write: bool, strict: bool, strict_new: bool = False
) -> None:
    """If-Match / If-None-Match; ``strict``: a write to an existing document needs one of them."""
    if_match = xreq.headers["if-match"].strip()
    if_none_match = xreq.headers["if-none-match"].strip()
    current = _etag(document) if document else None
    if if_match:
        tags = [tag.strip() for tag in if_match.split(",")]
        if current is None or ("*" not in tags and current not in tags and current.strip('"') not in tags):
            raise XapiError(412, "If-Match: the document has changed (or does not exist)")
    if if_none_match:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        if current is not None and ("*" in tags or current in tags or current.strip('"') in tags):
            raise XapiError(412, "If-None-Match: the document already exists")
    if write and strict and not if_match and not if_none_match:
        if document is not None:
            raise XapiError(409, "If-Match: a document with this id exists; send If-Match or If-None-Match")
        if xreq.version == "1.0.3" and strict_new:
            raise XapiError(400, "If-None-Match: send If-None-Match: * (or If-Match) with a PUT of a profile")


def _since(xreq: XapiRequest) -> dt.datetime | None:
    if "since" not in xreq.params:
        return None
    return v.parse_timestamp(xreq.params["since"], "since")


def _document_response(document: Document) -> HttpResponse:
    response = _response(200, bytes(document.content), document.content_type)
    response["ETag"] = _etag(document)
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _check_document_scope(
    xreq: XapiRequest, kind: str, *, activity_id: str, agent_ifi: str, registration: str
) -> None:
    """A scoped client (e.g. a cmi5 AU) reaches only its own agent's, registration's documents."""
    client = xreq.client
    if client is None or not client.is_scoped:
        return
    if kind == DocumentKind.ACTIVITY_PROFILE and xreq.method not in ("GET", "HEAD"):
        raise XapiError(403, "this client may only read activity profiles")
    if (
        client.scope_agent_ifi
        and kind != DocumentKind.ACTIVITY_PROFILE
        and agent_ifi != client.scope_agent_ifi
    ):
        raise XapiError(403, "agent: this client may only use its own agent's documents")
    if (
        client.scope_registration is not None
        and kind == DocumentKind.STATE
        and registration != str(client.scope_registration)
    ):
        raise XapiError(403, "registration: this client may only use State of its own registration")
    if (
        client.scope_activity_prefix
        and activity_id
        and not activity_id.startswith(client.scope_activity_prefix)
    ):
        raise XapiError(403, "activityId: this client may not use documents of this activity")


def _documents(
    xreq: XapiRequest,
    kind: str,
    *,
    id_param: str,
    activity_id: str = "",
    agent_ifi: str = "",
    registration: str = "",
    strict: bool,
) -> HttpResponse:
    assert xreq.client is not None
    _check_document_scope(xreq, kind, activity_id=activity_id, agent_ifi=agent_ifi, registration=registration)
    organisation = xreq.client.organisation
    document_id = xreq.params.get(id_param)
    scope = {"activity_id": activity_id, "agent_ifi": agent_ifi, "registration": registration}
    if xreq.method in ("PUT", "POST"):
        if document_id is None or document_id == "":
            raise fail(id_param, "is required")
        if "since" in xreq.params:
            raise fail("since", "is only allowed when listing documents")
        existing = services.find_document(organisation, kind, document_id=document_id, **scope)
        _check_preconditions(
            xreq,
            existing,
            write=True,
            strict=strict and xreq.method == "PUT",
            strict_new=kind != DocumentKind.STATE,
        )
        content_type = xreq.headers["content-type"] or "application/octet-stream"
        if xreq.method == "POST":
            if xreq.content_type == "application/json":
                try:
                    value = json.loads(xreq.body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise fail("content", "is not valid JSON") from None
                if existing is not None and not isinstance(value, dict):
                    raise fail("content", "must be a JSON object to merge")
            elif existing is not None:
                raise fail("Content-Type", "POST to an existing document must be application/json")
        services.save_document(
            organisation,
            kind,
            document_id=document_id,
            content=xreq.body,
            content_type=content_type,
            merge=xreq.method == "POST" and existing is not None,
            existing=existing,
            **scope,
        )
        return _response(204)
    if xreq.method in ("GET", "HEAD"):
        if document_id is not None:
            if "since" in xreq.params:
                raise fail("since", f"is not allowed together with {id_param}")
            document = services.find_document(organisation, kind, document_id=document_id, **scope)
            if document is None:
                raise XapiError(404, f"{id_param}: no such document")
            return _document_response(document)
        query = Document.objects.filter(
            organisation=organisation, scope=services.document_scope(kind, **scope)
        )
        since = _since(xreq)
        if since is not None:
            query = query.filter(updated__gt=since)
        documents = list(query.order_by("updated").values_list("document_id", "updated"))
        response = _json([d[0] for d in documents])
        if documents:
            response["Last-Modified"] = http_date(max(d[1] for d in documents).timestamp())
        return response
    if xreq.method == "DELETE":
        if document_id is not None:
            document = services.find_document(organisation, kind, document_id=document_id, **scope)
            _check_preconditions(xreq, document, write=False, strict=False)
            if document is not None:
                services.delete_documents(organisation, [document])
            return _response(204)
        if kind != DocumentKind.STATE:
            raise fail(id_param, "is required")
        services.delete_documents(
            organisation,
            Document.objects.filter(organisation=organisation, scope=services.document_scope(kind, **scope)),
        )
        return _response(204)
    raise XapiError(405, "documents answer GET, HEAD, PUT, POST and DELETE")


def state(xreq: XapiRequest) -> HttpResponse:
    _check_params(xreq, {"activityId", "agent", "registration", "stateId", "since"})
    activity_id = _iri_param(xreq, "activityId")
    agent = _agent_param(xreq)
    registration = xreq.params.get("registration", "")
    if "registration" in xreq.params and not v.is_uuid(registration):
        raise fail("registration", "must be a UUID")
    return _documents(
        xreq,
        DocumentKind.STATE,
        id_param="stateId",
        activity_id=activity_id,
        agent_ifi=v.agent_ifi(agent or {}) or "",
        registration=registration.lower(),
        strict=xreq.version.startswith("2."),
    )


def activity_profile(xreq: XapiRequest) -> HttpResponse:
    _check_params(xreq, {"activityId", "profileId", "since"})
    activity_id = _iri_param(xreq, "activityId")
    return _documents(
        xreq, DocumentKind.ACTIVITY_PROFILE, id_param="profileId", activity_id=activity_id, strict=True
    )


def agent_profile(xreq: XapiRequest) -> HttpResponse:
    _check_params(xreq, {"agent", "profileId", "since"})
    agent = _agent_param(xreq)
    return _documents(
        xreq,
        DocumentKind.AGENT_PROFILE,
        id_param="profileId",
        agent_ifi=v.agent_ifi(agent or {}) or "",
        strict=True,
    )


# --- Activities and agents --------------------------------------------------------------------


def activities(xreq: XapiRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XapiError(405, "activities answer GET")
    assert xreq.client is not None
    _check_params(xreq, {"activityId"})
    activity_id = _iri_param(xreq, "activityId")
    prefix = xreq.client.scope_activity_prefix
    if prefix and not activity_id.startswith(prefix):
        raise XapiError(403, "activityId: this client may not read this activity")
    row = Activity.objects.filter(organisation=xreq.client.organisation, activity_id=activity_id).first()
    body: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        body["definition"] = row.definition
    return _json(body)


def agents(xreq: XapiRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XapiError(405, "agents answer GET")
    _check_params(xreq, {"agent"})
    agent = _agent_param(xreq) or {}
    scope_ifi = xreq.client.scope_agent_ifi if xreq.client is not None else ""
    if scope_ifi and v.agent_ifi(agent) != scope_ifi:
        raise XapiError(403, "agent: this client may only read its own agent")
    person: dict[str, Any] = {"objectType": "Person"}
    if agent.get("name"):
        person["name"] = [agent["name"]]
    for key in v.IFI_KEYS:
        if key in agent:
            person[key] = [agent[key]]
    return _json(person)


def last_modified_since(request: HttpRequest) -> float | None:
    return parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))


__all__ = [
    "Statement",
    "about",
    "activities",
    "activity_profile",
    "agent_profile",
    "agents",
    "state",
    "statements",
    "xapi_endpoint",
]
