"""Who may read /api/schema/ and /api/docs/: signed-in users, unless API_DOCS_PUBLIC.

The schema names every patient field and filter, so it is not for the open internet
by default. The setting is read per request so a test (or a restart) can change it.
"""

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class SignedInOrPublicDocs(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(settings.API_DOCS_PUBLIC or request.user.is_authenticated)
