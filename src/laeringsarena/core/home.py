"""Cards on Min læring contributed by the apps.

An app adds cards with a module ``<app>/home.py`` defining ``cards(request) -> list[HomeCard]``;
core renders them without knowing the apps (the dependency points from the apps to core).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field

from django.apps import apps
from django.http import HttpRequest


@dataclass(frozen=True)
class HomeItem:
    label: str
    href: str = ""
    note: str = ""


@dataclass(frozen=True)
class HomeCard:
    key: str
    title: str
    items: list[HomeItem] = field(default_factory=list)
    empty: str = ""  # shown when there are no items
    more_label: str = ""
    more_href: str = ""


def cards(request: HttpRequest) -> list[HomeCard]:
    collected: list[HomeCard] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("laeringsarena.") or config.label == "core":
            continue
        name = f"{config.name}.home"
        if importlib.util.find_spec(name):
            collected += importlib.import_module(name).cards(request)
    return collected
