"""Factories and helpers for the lrs tests."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from django.test import Client

from laeringsarena.lrs import services
from laeringsarena.organisations.models import Organisation


class XapiClient:
    """A Django test client speaking xAPI with one LRS client's Basic credentials."""

    def __init__(
        self, organisation: Organisation, version: str = "1.0.3", scope: services.ClientScope | None = None
    ) -> None:
        client, secret = services.create_client(organisation, name="Test", scope=scope)
        self.key = client.key
        self.lrs_client = client
        self.version = version
        self.http = Client()
        token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": version}

    def _h(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(extra or {})}

    def post(self, path: str, body: Any, content_type: str = "application/json", **extra: str) -> Any:
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.http.post(f"/xapi/{path}", data, content_type=content_type, **self._h(extra))

    def put(self, path: str, body: Any, content_type: str = "application/json", **extra: str) -> Any:
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return self.http.put(f"/xapi/{path}", data, content_type=content_type, **self._h(extra))

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: str) -> Any:
        return self.http.get(f"/xapi/{path}", params or {}, **self._h(extra))

    def delete(self, path: str, **extra: str) -> Any:
        return self.http.delete(f"/xapi/{path}", **self._h(extra))


def statement(n: int = 0, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Kari", "mbox": f"mailto:kari{n % 10}@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"nb": "fullførte"}},
        "object": {
            "objectType": "Activity",
            "id": f"https://laeringsarena.example/activities/{n % 7}",
            "definition": {"name": {"nb": f"Aktivitet {n % 7}"}},
        },
    }
    base.update(overrides)
    return base


def new_id() -> str:
    return str(uuid.uuid4())
