"""API token authentication (DRF's DEFAULT_AUTHENTICATION_CLASSES).

Kept apart from the token views: DRF imports this module while it is still loading
its own views, so it must not import them.
"""

import re

from knox.auth import TokenAuthentication
from rest_framework import exceptions

# knox tokens are hex; anything else cannot match and must not reach a query
# (a NUL byte in the header would be a database error on PostgreSQL).
TOKEN_SHAPE = re.compile(r"[0-9a-f]{16,128}")


class ExpiringTokenAuthentication(TokenAuthentication):  # type: ignore[misc]
    """knox's check (hash, expiry, active user), refusing malformed tokens up front."""

    def authenticate_credentials(self, token: bytes) -> tuple[object, object]:
        if not TOKEN_SHAPE.fullmatch(token.decode("utf-8", "replace")):
            raise exceptions.AuthenticationFailed("Invalid token.")
        result: tuple[object, object] = super().authenticate_credentials(token)
        return result
