"""WSGI entry point for gunicorn (``laeringsarena serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
application = get_wsgi_application()
