"""Test-run policy for every suite (scripts/test.sh runs the suite on SQLite and on PostgreSQL).

* ``browser`` tests need Debian's chromium at /usr/bin/chromium; without it they are skipped,
  with the reason. ``LAERINGSARENA_TEST_NO_BROWSER=1`` acts as if chromium were missing.
* ``postgres`` tests are skipped unless the database is PostgreSQL.
* With ``CI=true`` nothing may be skipped: a skipped test (or a skipped module) is reported as a
  failure, so a missing dependency on the CI machine cannot pass silently. On a developer
  machine skips are allowed and listed at the end (``-ra`` in pyproject.toml).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NOTES = pytest.StashKey[list[str]]()


def strict_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def chromium_available() -> bool:
    return CHROMIUM.exists() and os.environ.get("LAERINGSARENA_TEST_NO_BROWSER", "") in {"", "0"}


def _database_is_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    lines = [f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db.get('NAME')})"]
    lines.append(
        f"browser tests: {'chromium ' + str(CHROMIUM) if chromium_available() else 'no chromium, skipped'}"
    )
    if strict_ci():
        lines.append("CI=true: every skipped test counts as a failure")
    return lines


@pytest.fixture(scope="session")
def terminal_notes(pytestconfig: pytest.Config) -> list[str]:
    """Lines to show after the run, above pytest's closing line (e.g. where screenshots are)."""
    return pytestconfig.stash.setdefault(NOTES, [])


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    notes = config.stash.get(NOTES, [])
    if notes:
        terminalreporter.section("notes", sep="-")
        for line in notes:
            terminalreporter.write_line(line)
    # scripts/test.sh shows the counts ("108 passed, 2 deselected") in its summary.
    result_file = os.environ.get("LAERINGSARENA_TEST_RESULT_FILE")
    if result_file:
        parts, _colour = terminalreporter.build_summary_stats_line()
        Path(result_file).write_text(", ".join(text for text, _markup in parts) + "\n")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    no_browser = pytest.mark.skip(reason=f"{CHROMIUM} not found – install Debian package chromium")
    no_postgres = pytest.mark.skip(
        reason="needs PostgreSQL – run with LAERINGSARENA_DATABASE_URL=postgres://… (make test does)"
    )
    have_chromium = chromium_available()
    on_postgres: bool | None = None
    for item in items:
        if "browser" in item.keywords and not have_chromium:
            item.add_marker(no_browser)
        if "postgres" in item.keywords:
            if on_postgres is None:
                on_postgres = _database_is_postgresql()
            if not on_postgres:
                item.add_marker(no_postgres)


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, lineno, message = longrepr
        return f"{message} ({path}:{lineno})"
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if strict_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.longrepr = (
            f"CI=true: nothing may be skipped, but this test was skipped: {_skip_reason(report)}"
        )
        report.outcome = "failed"
        report.skipped_in_ci = True
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    report = yield
    if strict_ci() and report.skipped:
        report.longrepr = (
            f"CI=true: nothing may be skipped, but {collector.nodeid or 'a module'} was skipped: "
            f"{_skip_reason(report)}"
        )
        report.outcome = "failed"
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    # A skip that happened during setup (skip markers are evaluated there) would otherwise be
    # shown as an "error"; call it what it is.
    if getattr(report, "skipped_in_ci", False):
        return "failed", "F", ("FAILED (skipped, CI=true)", {"red": True})
    return None
