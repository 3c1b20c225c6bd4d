"""Demo data of the credentials app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
