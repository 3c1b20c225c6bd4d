"""Ralph LRS (ralph-malph) for the benchmark; runs with Ralph's own Python (``var/ralph-venv``).

    ralph-venv/bin/python ralph_server.py serve DIR PORT       # Ralph's API (FastAPI + uvicorn), fs backend
    ralph-venv/bin/python ralph_server.py seed DIR < batches.jsonl   # one JSON array a line

``DIR`` holds the statements file (``fs_lrs.jsonl``), the auth file (one user ``bench`` with
password ``bench-secret`` and scope ``all``) and Ralph's history file.

Ralph's LRS backends are Elasticsearch, MongoDB, ClickHouse and the file system. None of the
three servers can be installed here (Debian ships no Elasticsearch or MongoDB, and its
ClickHouse 18.16 predates the ``DateTime64`` type and query parameters Ralph's ClickHouse
backend uses), so the benchmark uses the ``fs`` backend. Two bugs in ralph-malph 5.1.0's fs
LRS backend are worked around here, nothing else is changed:

1. Every POST after the first one fails with 500 ("Statements bulk indexation failed"): the
   backend writes with its default operation type CREATE, which refuses an existing file.
   Here it appends (``BaseOperationType.APPEND``), which is what the backend is meant to do.
2. The ``verb`` and ``activity`` filters never match: the API hands the backend a pydantic
   ``IRI`` object and the backend compares it with the statement's string. Here the object is
   turned back into its string first.

``seed`` is the fast path for loading a large store: each statement is validated with Ralph's
``LaxStatement`` model and enriched (``stored``, ``timestamp``, ``authority``) exactly as
``POST /xAPI/statements`` does, and written with the same backend call, but without the
duplicate-id check that reads the whole file on every POST (which makes a million-statement
load over HTTP take days with this backend).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

USER, PASSWORD = "bench", "bench-secret"
AUTHORITY = {"objectType": "Agent", "mbox": "mailto:bench@laeringsarena.example"}


def _configure(directory: Path) -> None:
    os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
    os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(directory)
    os.environ["RALPH_AUTH_FILE"] = str(directory / "auth.json")
    os.environ["RALPH_HISTORY_FILE"] = str(directory / "history.json")
    auth = directory / "auth.json"
    if not auth.exists():
        import bcrypt

        digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode()
        auth.write_text(
            json.dumps([{"agent": AUTHORITY, "scopes": ["all"], "hash": digest, "username": USER}])
        )


def _patch() -> None:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # bug 1
    query_statements = FSLRSBackend.query_statements

    def query_statements_with_string_iris(self, params, target=None):  # bug 2
        for name in ("verb", "activity"):
            value = getattr(params, name, None)
            if value is not None and not isinstance(value, str):
                setattr(params, name, str(getattr(value, "root", value)))
        return query_statements(self, params, target)

    FSLRSBackend.query_statements = query_statements_with_string_iris


def serve(directory: Path, port: int) -> None:
    _configure(directory)
    _patch()
    import uvicorn
    from ralph.api import app

    # One worker: the fs backend appends to one file through a buffered writer, so two
    # processes writing at once would interleave partial lines.
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False)


def seed(directory: Path) -> None:
    _configure(directory)
    _patch()
    from pydantic import TypeAdapter
    from ralph.api.auth.user import AuthenticatedUser, UserScopes
    from ralph.api.models import LaxStatement
    from ralph.api.routers.statements import _statements_to_dict
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    backend = FSLRSBackend()
    user = AuthenticatedUser(agent=AUTHORITY, scopes=UserScopes(["all"]))
    batch_of = TypeAdapter(list[LaxStatement])
    count = 0
    for line in sys.stdin.buffer:  # one JSON array (a POST body) a line
        if line.strip():
            statements = _statements_to_dict(batch_of.validate_json(line), user)
            backend.write(data=statements.values(), operation_type=BaseOperationType.APPEND)
            count += len(statements)
    print(count)


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "serve":
        serve(target, int(sys.argv[3]))
    elif command == "seed":
        seed(target)
    else:
        raise SystemExit(f"unknown command {command!r}")
