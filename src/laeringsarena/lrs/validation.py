"""Validation of xAPI statements (1.0.3 and 2.0.0), to the letter of the specification.

Every error names the offending field with a JSON path such as ``statement[3].actor.mbox``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from typing import Any

from laeringsarena.core.errors import InvalidInput

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


class StatementError(InvalidInput):
    """A statement (or a request parameter) that the xAPI specification does not allow."""

    code = "invalid-statement"


def fail(path: str, message: str) -> StatementError:
    return StatementError(f"{path}: {message}", errors=[{"field": path, "message": message}])


UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
# RFC 3987 absolute IRI, loosely: a scheme, then no whitespace.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
MBOX_RE = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_RE = re.compile(r"^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
# RFC 5646 language tag (simplified but strict about shape).
LANG_RE = re.compile(
    r"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+"
    r"|[Ii]-[A-Za-z]+(?:-[A-Za-z]+)*)$"
)
DURATION_RE = re.compile(
    r"^P\d+(?:[.,]\d+)?W$|"
    r"^P(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$"
)
# ISO 8601 / RFC 3339 date-time with an optional offset.
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
INTERACTION_TYPES = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(UUID_RE.match(value))


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(IRI_RE.match(value))


def parse_timestamp(value: Any, path: str, *, version: str = "1.0.3") -> dt.datetime:
    """An ISO 8601 date-time; the offset ``-00:00`` is refused in 1.0.3."""
    if not isinstance(value, str):
        raise fail(path, "must be an ISO 8601 timestamp string")
    match = TIMESTAMP_RE.match(value)
    if not match:
        raise fail(path, f"«{value}» is not an ISO 8601 timestamp")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone in ("-00", "-00:00", "-0000"):
        raise fail(path, "the offset -00:00 is not allowed")
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz: dt.tzinfo = dt.UTC
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            raise fail(path, f"«{value}» has an invalid offset")
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
        )
    except ValueError as error:
        raise fail(path, f"«{value}» is not a valid date-time ({error})") from None


def format_timestamp(value: dt.datetime) -> str:
    """UTC, millisecond precision or better, with a Z (valid ISO 8601 and RFC 3339)."""
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}"[:3] + "Z"


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    return value


def _allowed(value: dict[str, Any], path: str, keys: set[str]) -> None:
    for key in value:
        if key not in keys:
            raise fail(f"{path}.{key}", "is not an allowed property here")


def _string(value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise fail(path, "must be a string")


def _iri(value: Any, path: str) -> None:
    if not is_iri(value):
        raise fail(path, "must be an absolute IRI")


def _bool(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise fail(path, "must be true or false")


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, "must be a number")
    return float(value)


def language_map(value: Any, path: str) -> None:
    value = _object(value, path)
    for tag, text in value.items():
        if not LANG_RE.match(tag):
            raise fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
        if not isinstance(text, str):
            raise fail(f"{path}.{tag}", "must be a string")


def extensions(value: Any, path: str) -> None:
    value = _object(value, path)
    for key in value:
        if not is_iri(key):
            raise fail(f"{path}.{key}", "extension keys must be absolute IRIs")


def agent_ifi(agent: dict[str, Any]) -> str | None:
    """The canonical inverse functional identifier of an agent or identified group."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent and isinstance(agent["account"], dict):
        account = agent["account"]
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _ifis(value: dict[str, Any], path: str) -> int:
    count = 0
    for key in IFI_KEYS:
        if key not in value:
            continue
        count += 1
        item = value[key]
        where = f"{path}.{key}"
        if key == "mbox":
            if not isinstance(item, str) or not MBOX_RE.match(item):
                raise fail(where, "must be a mailto: IRI such as mailto:name@example.org")
        elif key == "mbox_sha1sum":
            if not isinstance(item, str) or not SHA1_RE.match(item):
                raise fail(where, "must be the hex SHA-1 of a mailto: IRI")
        elif key == "openid":
            _iri(item, where)
        else:
            account = _object(item, where)
            _allowed(account, where, {"homePage", "name"})
            if "homePage" not in account:
                raise fail(f"{where}.homePage", "is required")
            _iri(account["homePage"], f"{where}.homePage")
            if "name" not in account:
                raise fail(f"{where}.name", "is required")
            _string(account["name"], f"{where}.name")
    return count


def agent(value: Any, path: str, *, object_type_required: bool = False) -> None:
    value = _object(value, path)
    _allowed(value, path, {"objectType", "name", *IFI_KEYS})
    if object_type_required and value.get("objectType") != "Agent":
        raise fail(f"{path}.objectType", "must be «Agent»")
    if "objectType" in value and value["objectType"] != "Agent":
        raise fail(f"{path}.objectType", "must be «Agent»")
    if "name" in value:
        _string(value["name"], f"{path}.name")
    if _ifis(value, path) != 1:
        raise fail(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")


def group(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"objectType", "name", "member", *IFI_KEYS})
    if value.get("objectType") != "Group":
        raise fail(f"{path}.objectType", "must be «Group»")
    if "name" in value:
        _string(value["name"], f"{path}.name")
    count = _ifis(value, path)
    if count > 1:
        raise fail(path, "a Group must have at most one of mbox, mbox_sha1sum, openid, account")
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list):
            raise fail(f"{path}.member", "must be an array of Agents")
        if count == 0 and not members:
            raise fail(f"{path}.member", "an anonymous Group must have members")
        for index, member in enumerate(members):
            agent(member, f"{path}.member[{index}]")
    elif count == 0:
        raise fail(f"{path}.member", "is required for an anonymous Group")


def actor(value: Any, path: str) -> None:
    value = _object(value, path)
    if value.get("objectType") == "Group":
        group(value, path)
    else:
        agent(value, path)


def verb(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"id", "display"})
    if "id" not in value:
        raise fail(f"{path}.id", "is required")
    _iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def _components(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        where = f"{path}[{index}]"
        component = _object(component, where)
        _allowed(component, where, {"id", "description"})
        if "id" not in component:
            raise fail(f"{where}.id", "is required")
        _string(component["id"], f"{where}.id")
        if component["id"] in seen:
            raise fail(f"{where}.id", "interaction component ids must be unique")
        seen.add(component["id"])
        if "description" in component:
            language_map(component["description"], f"{where}.description")


def activity_definition(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(
        value,
        path,
        {
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            *COMPONENT_LISTS,
        },
    )
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    if "type" in value:
        _iri(value["type"], f"{path}.type")
    if "moreInfo" in value:
        _iri(value["moreInfo"], f"{path}.moreInfo")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    interaction = value.get("interactionType")
    if "interactionType" in value and (
        not isinstance(interaction, str) or interaction not in INTERACTION_TYPES
    ):
        raise fail(f"{path}.interactionType", f"must be one of {', '.join(INTERACTION_TYPES)}")
    if "correctResponsesPattern" in value:
        if interaction is None:
            raise fail(f"{path}.correctResponsesPattern", "requires interactionType")
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(item, str) for item in pattern):
            raise fail(f"{path}.correctResponsesPattern", "must be an array of strings")
    for key in COMPONENT_LISTS:
        if key in value:
            if interaction is None or key not in INTERACTION_TYPES[interaction]:
                raise fail(f"{path}.{key}", f"is not allowed for interactionType «{interaction}»")
            _components(value[key], f"{path}.{key}")


def activity(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"objectType", "id", "definition"})
    if "objectType" in value and value["objectType"] != "Activity":
        raise fail(f"{path}.objectType", "must be «Activity»")
    if "id" not in value:
        raise fail(f"{path}.id", "is required")
    _iri(value["id"], f"{path}.id")
    if "definition" in value:
        activity_definition(value["definition"], f"{path}.definition")


def statement_ref(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"objectType", "id"})
    if value.get("objectType") != "StatementRef":
        raise fail(f"{path}.objectType", "must be «StatementRef»")
    if not is_uuid(value.get("id")):
        raise fail(f"{path}.id", "must be a UUID")


def _score(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"scaled", "raw", "min", "max"})
    numbers = {key: _number(value[key], f"{path}.{key}") for key in value}
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        raise fail(f"{path}.scaled", "must be between -1 and 1")
    if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
        raise fail(f"{path}.min", "must not be greater than max")
    if "raw" in numbers:
        if "min" in numbers and numbers["raw"] < numbers["min"]:
            raise fail(f"{path}.raw", "must not be less than min")
        if "max" in numbers and numbers["raw"] > numbers["max"]:
            raise fail(f"{path}.raw", "must not be greater than max")


def result(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in value:
        _score(value["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in value:
            _bool(value[key], f"{path}.{key}")
    if "response" in value:
        _string(value["response"], f"{path}.response")
    if "duration" in value and (
        not isinstance(value["duration"], str) or not DURATION_RE.match(value["duration"])
    ):
        raise fail(f"{path}.duration", "must be an ISO 8601 duration such as PT1H30M")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def _context_activities(value: Any, path: str) -> None:
    value = _object(value, path)
    _allowed(value, path, {"parent", "grouping", "category", "other"})
    for key, item in value.items():
        items = item if isinstance(item, list) else [item]
        for index, entry in enumerate(items):
            activity(entry, f"{path}.{key}[{index}]" if isinstance(item, list) else f"{path}.{key}")


def context(value: Any, path: str, *, object_is_activity: bool, version: str) -> None:
    value = _object(value, path)
    keys = {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
    if version.startswith("2."):
        keys |= {"contextAgents", "contextGroups"}
    _allowed(value, path, keys)
    if "registration" in value and not is_uuid(value["registration"]):
        raise fail(f"{path}.registration", "must be a UUID")
    if "instructor" in value:
        actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        team = _object(value["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            raise fail(f"{path}.team.objectType", "must be «Group»")
        group(team, f"{path}.team")
    if "contextActivities" in value:
        _context_activities(value["contextActivities"], f"{path}.contextActivities")
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}")
            if not object_is_activity:
                raise fail(f"{path}.{key}", "may only be used when the object is an Activity")
    if "language" in value and (
        not isinstance(value["language"], str) or not LANG_RE.match(value["language"])
    ):
        raise fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    if "contextAgents" in value:
        _context_agents(value["contextAgents"], f"{path}.contextAgents", "agent", agent_required=True)
    if "contextGroups" in value:
        _context_agents(value["contextGroups"], f"{path}.contextGroups", "group", agent_required=True)


def _context_agents(value: Any, path: str, key: str, *, agent_required: bool) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    expected = "contextAgent" if key == "agent" else "contextGroup"
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        item = _object(item, where)
        _allowed(item, where, {"objectType", key, "relevantTypes"})
        if item.get("objectType") != expected:
            raise fail(f"{where}.objectType", f"must be «{expected}»")
        if key not in item:
            raise fail(f"{where}.{key}", "is required")
        if key == "agent":
            agent(item[key], f"{where}.{key}")
        else:
            group(item[key], f"{where}.{key}")
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            if not isinstance(types, list) or not types:
                raise fail(f"{where}.relevantTypes", "must be a non-empty array of IRIs")
            for position, iri in enumerate(types):
                _iri(iri, f"{where}.relevantTypes[{position}]")


def attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        item = _object(item, where)
        _allowed(
            item, where, {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
        )
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in item:
                raise fail(f"{where}.{key}", "is required")
        _iri(item["usageType"], f"{where}.usageType")
        language_map(item["display"], f"{where}.display")
        if "description" in item:
            language_map(item["description"], f"{where}.description")
        if not isinstance(item["contentType"], str) or "/" not in item["contentType"]:
            raise fail(f"{where}.contentType", "must be an Internet media type")
        if isinstance(item["length"], bool) or not isinstance(item["length"], int) or item["length"] < 0:
            raise fail(f"{where}.length", "must be a non-negative integer")
        if not isinstance(item["sha2"], str) or not SHA2_RE.match(item["sha2"]):
            raise fail(f"{where}.sha2", "must be a hex SHA-2 hash")
        if "fileUrl" in item:
            _iri(item["fileUrl"], f"{where}.fileUrl")


def _statement_object(value: Any, path: str, *, version: str, sub: bool) -> str:
    value = _object(value, path)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind == "Agent":
        agent(value, path, object_type_required=True)
    elif kind == "Group":
        group(value, path)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement":
        if sub:
            raise fail(f"{path}.objectType", "a SubStatement may not contain a SubStatement")
        substatement(value, path, version=version)
    else:
        raise fail(f"{path}.objectType", f"«{kind}» is not a known objectType")
    return str(kind)


def substatement(value: dict[str, Any], path: str, *, version: str) -> None:
    _allowed(
        value,
        path,
        {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"},
    )
    _body(value, path, version=version, sub=True)


def _body(value: dict[str, Any], path: str, *, version: str, sub: bool) -> None:
    for key in ("actor", "verb", "object"):
        if key not in value:
            raise fail(f"{path}.{key}", "is required")
    actor(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    kind = _statement_object(value["object"], f"{path}.object", version=version, sub=sub)
    if "result" in value:
        result(value["result"], f"{path}.result")
    if "context" in value:
        context(value["context"], f"{path}.context", object_is_activity=kind == "Activity", version=version)
    if "timestamp" in value:
        parse_timestamp(value["timestamp"], f"{path}.timestamp", version=version)
    if "attachments" in value:
        attachments(value["attachments"], f"{path}.attachments")
    if value["verb"]["id"] == VOIDED and not sub and kind != "StatementRef":
        raise fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def validate_statement(value: Any, path: str = "statement", *, version: str = "1.0.3") -> None:
    """Raise :class:`StatementError` naming the field unless ``value`` is a valid xAPI statement."""
    value = _object(value, path)
    _allowed(
        value,
        path,
        {
            "id",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "stored",
            "authority",
            "version",
            "attachments",
        },
    )
    if "id" in value and not is_uuid(value["id"]):
        raise fail(f"{path}.id", "must be a UUID")
    _body(value, path, version=version, sub=False)
    if "stored" in value:
        parse_timestamp(value["stored"], f"{path}.stored", version=version)
    if "authority" in value:
        authority(value["authority"], f"{path}.authority")
    if "version" in value:
        statement_version = value["version"]
        allowed = r"^1\.0(\.\d+)?$" if not version.startswith("2.") else r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$"
        if not isinstance(statement_version, str) or not re.match(allowed, statement_version):
            raise fail(f"{path}.version", "must be a supported xAPI version such as 1.0.0")


def authority(value: Any, path: str) -> None:
    value = _object(value, path)
    if value.get("objectType") == "Group":
        group(value, path)
        members = value.get("member") or []
        if len(members) != 2 or any(key in value for key in IFI_KEYS):
            raise fail(f"{path}.member", "a Group authority must be an anonymous group of exactly two agents")
    else:
        agent(value, path)


def parse_agent_parameter(
    raw: str | None, name: str = "agent", *, required: bool = True
) -> dict[str, Any] | None:
    """The JSON agent of a query parameter (agent=…), validated."""
    import json

    if raw is None or raw == "":
        if required:
            raise fail(name, "is required")
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise fail(name, "must be a JSON Agent object") from None
    if not isinstance(value, dict):
        raise fail(name, "must be a JSON Agent object")
    if value.get("objectType") == "Group":
        group(value, name)
    else:
        agent(value, name)
    return value


def comparable_duration(value: str) -> str:
    """A duration with seconds truncated to hundredths: finer precision is not compared (xAPI 2.0)."""
    from decimal import ROUND_DOWN, Decimal

    match = re.search(r"(\d+(?:[.,]\d+)?)S$", value)
    if not match:
        return value
    seconds = Decimal(match.group(1).replace(",", ".")).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return value[: match.start()] + f"{seconds}S"


def comparable(statement: dict[str, Any]) -> Any:
    """A statement without what the LRS sets or may change, for "is this the same statement?".

    Signature attachments are left out (a JWS cannot contain itself), timestamps are compared
    as instants and durations to the hundredth of a second.
    """
    import json

    body = {k: value for k, value in statement.items() if k not in ("authority", "stored", "version", "id")}
    if "timestamp" in body:
        with contextlib.suppress(StatementError):
            body["timestamp"] = parse_timestamp(body["timestamp"], "timestamp").isoformat()
    if "attachments" in body:
        body["attachments"] = [a for a in body["attachments"] if a.get("usageType") != SIGNATURE_USAGE]
        if not body["attachments"]:
            del body["attachments"]
    if isinstance(body.get("object"), dict):
        body["object"] = dict(body["object"])  # a copy: the caller's statement stays as it is
    parts: list[dict[str, Any]] = [body, body["object"]] if isinstance(body.get("object"), dict) else [body]
    for part in parts:
        result = part.get("result")
        if isinstance(result, dict) and isinstance(result.get("duration"), str):
            part["result"] = {**result, "duration": comparable_duration(result["duration"])}
    return json.loads(json.dumps(body, sort_keys=True))


def new_uuid() -> str:
    return str(uuid.uuid4())
