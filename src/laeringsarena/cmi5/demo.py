"""Demo data of the cmi5 app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
