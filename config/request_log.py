"""One log line per request: method, path, status, time, user id.

The query string is left out on purpose: patient search puts names and phone
numbers there, and logs must not carry them. A patient link's token is in the path
itself and opens that patient's booking, so it is masked here and in Django's own
request loggers (``MaskLinkTokens``, wired in settings.LOGGING).
"""

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("clinic.request")

_LINK_TOKEN = re.compile(r"(/p/|/api/public/v1/links/)[^/\s\"']+")


def mask_link_tokens(text: str) -> str:
    return _LINK_TOKEN.sub(r"\1***", text)


class MaskLinkTokens(logging.Filter):
    """Rewrites a record's message so no link token reaches any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_link_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            mask_link_tokens(request.path),
            response.status_code,
            (time.perf_counter() - started) * 1000,
            user.pk if user is not None and user.is_authenticated else "-",
        )
        return response
