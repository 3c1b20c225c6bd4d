"""Several web nodes: a change made through one process is served by another process's index.

Two real OS processes, each with its own in-memory index, share one database (a file for
SQLite; the test database itself on PostgreSQL) and meet only through the change log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

SRC = Path(__file__).resolve().parents[3]


class NodeProcess:
    def __init__(self, database_url: str) -> None:
        env = {**os.environ, "LAERINGSARENA_DATABASE_URL": database_url, "PYTHONPATH": str(SRC)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "laeringsarena.catalogue.tests.search_node"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.ask("") == "ready"

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        if command:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _database_url(tmp_path: Path) -> tuple[str, bool]:
    """A URL another process can open, and whether it still needs migrating."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = settings["USER"], settings["PASSWORD"]
        host, port, name = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["NAME"]
        return f"postgres://{user}:{password}@{host}:{port}/{name}", False
    # SQLite test databases live in memory, invisible to other processes: use a shared file.
    return f"sqlite:///{tmp_path / 'nodes.sqlite3'}", True


@pytest.fixture
def nodes(transactional_db: None, tmp_path: Path) -> Iterator[tuple[NodeProcess, NodeProcess]]:
    url, needs_migrate = _database_url(tmp_path)
    first = NodeProcess(url)
    if needs_migrate:
        assert first.ask("migrate") == "ok"
    second = NodeProcess(url)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_a_change_through_one_process_is_served_by_the_other(nodes: tuple[NodeProcess, NodeProcess]) -> None:
    writer, reader = nodes
    assert reader.ask("count ergoterapi") == "0"  # the reader has built its index
    pk = writer.ask("create Ergoterapi i hjemmet")
    assert float(reader.ask("wait ergoterapi 5")) < 1.0
    assert writer.ask(f"rename {pk} Fysioterapi i hjemmet") == "ok"
    assert float(reader.ask("wait fysioterapi 5")) < 1.0
    assert reader.ask("count ergoterapi") == "0"  # the old title is gone from the other node too
    assert writer.ask("count fysioterapi") == "1"
