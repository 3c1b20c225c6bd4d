"""Demo data of the guidance app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
