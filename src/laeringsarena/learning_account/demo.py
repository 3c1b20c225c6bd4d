"""Demo data of the learning_account app."""

from __future__ import annotations


def load() -> None:
    """Nothing yet."""
