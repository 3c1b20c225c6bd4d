"""Demo data of the lrs app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
