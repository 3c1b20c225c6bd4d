"""Statements over HTTP: validation (a table of bad statements), storing, reading, voiding, filters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from laeringsarena.lrs.tests.factories import XapiClient, new_id, statement

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def lrs(world: Any) -> XapiClient:
    return XapiClient(world.alpha)


def _without(key: str) -> dict[str, Any]:
    value = statement()
    del value[key]
    return value


BAD_STATEMENTS: list[tuple[str, Any, str]] = [
    ("missing actor", _without("actor"), "statement.actor"),
    ("missing verb", _without("verb"), "statement.verb"),
    ("missing object", _without("object"), "statement.object"),
    ("unknown property", statement(colour="red"), "statement.colour"),
    ("id not a UUID", statement(id="not-a-uuid"), "statement.id"),
    (
        "actor with two IFIs",
        statement(actor={"mbox": "mailto:a@b.no", "openid": "http://a.no/x"}),
        "statement.actor",
    ),
    ("actor without IFI", statement(actor={"name": "Kari"}), "statement.actor"),
    ("mbox without mailto", statement(actor={"mbox": "kari@example.org"}), "statement.actor.mbox"),
    ("bad mbox_sha1sum", statement(actor={"mbox_sha1sum": "xyz"}), "statement.actor.mbox_sha1sum"),
    (
        "account without name",
        statement(actor={"account": {"homePage": "http://a.no"}}),
        "statement.actor.account.name",
    ),
    ("account homePage not IRI", statement(actor={"account": {"homePage": "a", "name": "x"}}), "homePage"),
    ("group without objectType members", statement(actor={"objectType": "Group"}), "statement.actor.member"),
    (
        "group member is a group",
        statement(
            actor={"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:a@b.no"}]}
        ),
        "statement.actor.member[0].objectType",
    ),
    ("verb without id", statement(verb={"display": {"nb": "x"}}), "statement.verb.id"),
    ("verb id not IRI", statement(verb={"id": "completed"}), "statement.verb.id"),
    (
        "bad language tag",
        statement(verb={"id": COMPLETED, "display": {"not a tag": "x"}}),
        "statement.verb.display",
    ),
    ("activity without id", statement(object={"objectType": "Activity"}), "statement.object.id"),
    (
        "unknown objectType",
        statement(object={"objectType": "Thing", "id": "http://a.no"}),
        "statement.object.objectType",
    ),
    ("agent object without objectType", statement(object={"mbox": "mailto:a@b.no"}), "statement.object.mbox"),
    (
        "statementRef id not UUID",
        statement(object={"objectType": "StatementRef", "id": "x"}),
        "statement.object.id",
    ),
    (
        "scaled score out of range",
        statement(result={"score": {"scaled": 1.5}}),
        "statement.result.score.scaled",
    ),
    ("raw above max", statement(result={"score": {"raw": 11, "max": 10}}), "statement.result.score.raw"),
    ("success not boolean", statement(result={"success": "yes"}), "statement.result.success"),
    ("bad duration", statement(result={"duration": "1 hour"}), "statement.result.duration"),
    ("registration not UUID", statement(context={"registration": "abc"}), "statement.context.registration"),
    (
        "revision with agent object",
        statement(object={"objectType": "Agent", "mbox": "mailto:a@b.no"}, context={"revision": "1"}),
        "statement.context.revision",
    ),
    (
        "team not a group",
        statement(context={"team": {"mbox": "mailto:a@b.no"}}),
        "statement.context.team.objectType",
    ),
    ("bad timestamp", statement(timestamp="yesterday"), "statement.timestamp"),
    ("timestamp offset -00:00", statement(timestamp="2024-01-01T12:00:00-00:00"), "statement.timestamp"),
    (
        "extension key not IRI",
        statement(result={"extensions": {"score": 1}}),
        "statement.result.extensions.score",
    ),
    (
        "attachment without sha2",
        statement(
            attachments=[
                {
                    "usageType": "http://a.no/u",
                    "display": {"en": "x"},
                    "contentType": "text/plain",
                    "length": 1,
                }
            ]
        ),
        "statement.attachments[0].sha2",
    ),
    ("voiding a non-StatementRef", statement(verb={"id": VOIDED}), "statement.object"),
    (
        "substatement inside substatement",
        statement(
            object={
                "objectType": "SubStatement",
                **statement(),
                "object": {"objectType": "SubStatement", **statement()},
            }
        ),
        "statement.object.object.objectType",
    ),
    ("bad version", statement(version="0.9"), "statement.version"),
    (
        "interaction component without interactionType",
        statement(object={"id": "http://a.no/q", "definition": {"choices": [{"id": "a"}]}}),
        "statement.object.definition.choices",
    ),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_STATEMENTS, ids=[case for case, *_ in BAD_STATEMENTS])
def test_a_malformed_statement_is_rejected_with_400_naming_the_field(lrs, case, body, field):
    response = lrs.post("statements", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]


def test_posted_statements_come_back_with_id_stored_authority_and_version(lrs):
    ids = lrs.post("statements", [statement(1), statement(2)]).json()
    assert len(ids) == 2
    response = lrs.get("statements", {"statementId": ids[0]})
    assert response.status_code == 200
    stored = response.json()
    assert stored["id"] == ids[0]
    assert stored["authority"]["account"]["name"] == lrs.key
    assert stored["version"] == "1.0.0"
    assert stored["stored"].endswith("Z")
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert "Last-Modified" in response
    # Consistent-Through: statements are stored before the answer, so the time of the request.
    through = lrs.get("statements").headers["X-Experience-API-Consistent-Through"]
    assert through >= stored["stored"]


def test_put_needs_a_matching_statement_id_and_conflicting_content_is_409(lrs):
    statement_id = new_id()
    assert lrs.put(f"statements?statementId={statement_id}", statement()).status_code == 204
    # The same statement again changes nothing.
    assert lrs.put(f"statements?statementId={statement_id}", statement()).status_code == 204
    response = lrs.put(f"statements?statementId={statement_id}", statement(3))
    assert response.status_code == 409
    response = lrs.put(f"statements?statementId={new_id()}", statement(id=statement_id))
    assert response.status_code == 400


def test_voided_statements_are_only_found_by_voided_statement_id(lrs):
    [target] = lrs.post("statements", statement()).json()
    void = statement(
        verb={"id": VOIDED, "display": {"en": "voided"}}, object={"objectType": "StatementRef", "id": target}
    )
    [voider] = lrs.post("statements", void).json()
    assert lrs.get("statements", {"statementId": target}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target}).json()["id"] == target
    listed = [s["id"] for s in lrs.get("statements").json()["statements"]]
    assert target not in listed and voider in listed
    # A voiding statement cannot itself be voided.
    again = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voider})
    assert lrs.post("statements", again).status_code == 400


def test_filters_and_more_pagination(lrs):
    lrs.post("statements", [statement(n) for n in range(30)])
    agent = json.dumps({"mbox": "mailto:kari3@example.org"})
    found = lrs.get("statements", {"agent": agent, "verb": COMPLETED}).json()["statements"]
    assert len(found) == 3 and all(s["actor"]["mbox"] == "mailto:kari3@example.org" for s in found)
    activity = "https://laeringsarena.example/activities/2"
    assert len(lrs.get("statements", {"activity": activity}).json()["statements"]) == 4
    seen: list[str] = []
    page = lrs.get("statements", {"limit": 7}).json()
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        page = lrs.http.get(page["more"], **lrs.headers).json()
    assert len(seen) == 30 and len(set(seen)) == 30
    ascending = lrs.get("statements", {"ascending": "true", "limit": 30}).json()["statements"]
    assert [s["id"] for s in ascending] == list(reversed(seen))


def test_statements_referring_to_a_match_match_too_through_chains(lrs):
    """xAPI: filters also return statements that target a matching statement, recursively."""
    attended = "http://adlnet.gov/expapi/verbs/attended"
    commented = "http://adlnet.gov/expapi/verbs/commented"
    [target] = lrs.post("statements", statement(1)).json()  # kari1 completed activity 1

    def ref(to: str, n: int) -> dict[str, Any]:
        return statement(n, verb={"id": commented}, object={"objectType": "StatementRef", "id": to})

    [first] = lrs.post("statements", ref(target, 5)).json()  # kari5 comments on it
    [second] = lrs.post("statements", ref(first, 6)).json()  # kari6 comments on the comment
    [third] = lrs.post("statements", ref(second, 7)).json()  # … and so on
    [unrelated] = lrs.post("statements", statement(2, verb={"id": attended})).json()
    found = {s["id"] for s in lrs.get("statements", {"verb": COMPLETED}).json()["statements"]}
    assert {target, first, second, third} <= found and unrelated not in found
    agent = json.dumps({"mbox": "mailto:kari1@example.org"})
    found = [s["id"] for s in lrs.get("statements", {"agent": agent}).json()["statements"]]
    assert set(found) == {target, first, second, third}
    found = [
        s["id"]
        for s in lrs.get("statements", {"activity": "https://laeringsarena.example/activities/1"}).json()[
            "statements"
        ]
    ]
    assert set(found) == {target, first, second, third}
    # The chain does not run backwards: the target does not match a filter only its referrers match.
    agent = json.dumps({"mbox": "mailto:kari6@example.org"})
    found = [s["id"] for s in lrs.get("statements", {"agent": agent}).json()["statements"]]
    assert set(found) == {second, third}


def test_formats_ids_and_canonical(lrs):
    [statement_id] = lrs.post(
        "statements", statement(verb={"id": COMPLETED, "display": {"nb": "fullførte", "en": "completed"}})
    ).json()
    ids = lrs.get("statements", {"statementId": statement_id, "format": "ids"}).json()
    assert ids["verb"] == {"id": COMPLETED}
    assert "definition" not in ids["object"] and "name" not in ids["actor"]
    canonical = lrs.get(
        "statements", {"statementId": statement_id, "format": "canonical"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert canonical["verb"]["display"] == {"en": "completed"}


def test_version_header_is_required_and_answered(lrs):
    response = lrs.http.get("/xapi/statements", HTTP_AUTHORIZATION=lrs.headers["HTTP_AUTHORIZATION"])
    assert response.status_code == 400 and "X-Experience-API-Version" in response.json()["error"]
    response = lrs.get("statements", HTTP_X_EXPERIENCE_API_VERSION="0.95")
    assert response.status_code == 400
    response = lrs.get("statements", HTTP_X_EXPERIENCE_API_VERSION="2.0.0")
    assert response.status_code == 200 and response["X-Experience-API-Version"] == "2.0.0"
    about = lrs.http.get("/xapi/about").json()
    assert "1.0.3" in about["version"] and "2.0.0" in about["version"]


def test_unknown_query_parameters_are_refused(lrs):
    response = lrs.get("statements", {"colour": "red"})
    assert response.status_code == 400 and "colour" in response.json()["error"]
