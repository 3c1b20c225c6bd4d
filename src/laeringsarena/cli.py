"""The ``laeringsarena`` console script: Django's management commands under one name.

``laeringsarena import-employees FILE --org SLUG`` runs the ``import_employees`` command;
hyphens and underscores are interchangeable in command names.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "laeringsarena"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
