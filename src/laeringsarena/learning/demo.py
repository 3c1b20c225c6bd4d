"""Demo data of the learning app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
