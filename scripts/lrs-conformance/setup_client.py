"""Create a municipality and an LRS client in a fresh database; print "KEY SECRET".

Used by scripts/lrs-conformance.sh (run with the project's Python, settings from the environment).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
django.setup()

from laeringsarena.lrs import services  # noqa: E402
from laeringsarena.organisations.models import Organisation, OrganisationKind  # noqa: E402

root = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first() or Organisation.objects.create(
    kind=OrganisationKind.PLATFORM, name="Læringsarena", slug="laeringsarena"
)
municipality = Organisation.objects.filter(slug="konformitet").first() or Organisation.objects.create(
    kind=OrganisationKind.MUNICIPALITY, name="Konformitet kommune", slug="konformitet", parent=root
)
client, secret = services.create_client(municipality, name="ADL conformance suite")
print(client.key, secret)
