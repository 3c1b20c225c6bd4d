"""One "web node" for the two-process search test: a separate Python process with its own index.

Reads commands from stdin, one per line, answers one line each:
``migrate`` · ``create TITLE`` (a published public offering; prints its id) ·
``rename ID TITLE`` · ``count QUERY`` (hits in this process's own index) ·
``wait QUERY SECONDS`` (search until it has a hit; prints the seconds it took or ``timeout``).
The database comes from LAERINGSARENA_DATABASE_URL, as in production.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    os.environ.setdefault("DJANGO_TESTING", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from laeringsarena.catalogue import selectors
    from laeringsarena.catalogue.models import Offering, Provider
    from laeringsarena.catalogue.tests.helpers import offering

    print("ready", flush=True)
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "migrate":
            call_command("migrate", verbosity=0)
            print("ok", flush=True)
        elif command == "create":
            defaults = {"name": "Node", "kind": "ks"}
            provider, _ = Provider.objects.get_or_create(slug="node-test", defaults=defaults)
            print(offering(provider, rest).pk, flush=True)
        elif command == "rename":
            pk, _, title = rest.partition(" ")
            item = Offering.objects.get(pk=int(pk))
            item.title = title
            item.save()
            print("ok", flush=True)
        elif command == "count":
            print(selectors.search(None, rest, as_you_type=False).count, flush=True)
        elif command == "wait":
            query, _, seconds = rest.rpartition(" ")
            started = time.perf_counter()
            while selectors.search(None, query, as_you_type=False).count == 0:
                if time.perf_counter() - started > float(seconds):
                    print("timeout", flush=True)
                    break
                time.sleep(0.01)
            else:
                print(f"{time.perf_counter() - started:.3f}", flush=True)
        else:
            print(f"unknown {command}", flush=True)


if __name__ == "__main__":
    main()
