"""Per-address limits on the link pages: the JSON API's own DRF throttles
(docs/rules.md#patient-links).

The pages count in the same scopes and cache as ``/api/public/v1/`` (``patient_link``;
``patient_link_verify`` for a date of birth), so a burst of guesses costs the same through
either door and is answered 429 before the link's own lock-out.
"""

from django.http import HttpRequest
from rest_framework.throttling import ScopedRateThrottle

PAGES = "patient_link"
VERIFY = "patient_link_verify"


class _Scoped:
    """All a DRF throttle reads of a view: its scope."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def seconds_to_wait(request: HttpRequest, *, scope: str = PAGES) -> float | None:
    """None when this address may go on; else how long it should wait. A refused request
    is not counted (as in DRF), so waiting is enough to be let in again."""
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _Scoped(scope)):  # type: ignore[arg-type]
        return None
    return throttle.wait() or 1.0
