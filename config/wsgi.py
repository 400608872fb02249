"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.heap import freeze_start_up_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Every view module now, not at the first request, so it is frozen with the rest.
get_resolver().url_patterns  # noqa: B018
freeze_start_up_heap()
