"""Refuse a NUL byte anywhere in a request before a view, the session or the database
sees it.

PostgreSQL refuses the byte in every text column, so a ``%00`` in a search, a filter,
a cookie or a webhook field used to end as a 500 (and SQLite stored it). Checking the
request once here covers every URL, today's and tomorrow's, instead of each field of
each view. People's forms are left to their fields (Django's fields already refuse NUL
beside the field, keeping what was typed); bodies sent by programs are checked here.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from scheduler.bounds import has_nul

CODE = "nul_character"
# Programs call the API; its bodies (JSON or form-encoded) are checked here. Webhook
# bodies are not: a patient's STOP must act even if the provider passed on a stray NUL,
# so reminders/webhooks.py strips NUL from every field it stores (refusing would lose it).
MACHINE_PATHS = ("/api/",)
# JSON writes NUL as \u0000; one escaped backslash before it ("\\u0000") is plain text.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
# A parameter is named in the answer only if it looks like one of ours.
PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")


def _named(name: str) -> str:
    return f"“{name}”" if PLAIN_NAME.fullmatch(name) else "a parameter"


def _in_pairs(pairs: list[tuple[str, list[str]]]) -> str | None:
    for name, values in pairs:
        if has_nul(name):
            return "a parameter's name"
        if any(has_nul(value) for value in values):
            return _named(name)
    return None


def _body_has_nul(request: HttpRequest) -> bool:
    """The raw body, as sent: a form encodes NUL as %00 (a typed "%" is %25), JSON as \\u0000."""
    body = request.body
    if b"\x00" in body:
        return True
    kind = request.content_type or ""
    if "json" in kind:
        return JSON_NUL.search(body) is not None
    return kind == "application/x-www-form-urlencoded" and b"%00" in body


def find_nul(request: HttpRequest) -> str | None:
    """Where the request carries a NUL, in words ("the address", "“search”"), or None."""
    if has_nul(request.path):
        return "the address"
    if where := _in_pairs(list(request.GET.lists())):
        return where
    if any(has_nul(str(v)) for k, v in request.META.items() if k.startswith("HTTP_")):
        return "a header"
    if any(has_nul(name) or has_nul(value) for name, value in request.COOKIES.items()):
        return "a cookie"
    if request.path.startswith(MACHINE_PATHS) and _body_has_nul(request):
        return "the request body"
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = find_nul(request)
        if where is None:
            return self.get_response(request)
        detail = (
            f"{where[:1].upper()}{where[1:]} contains a NUL character (%00, \\u0000), "
            "which is never valid here. Remove it and send the request again."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"code": CODE, "detail": detail}, status=400)
        # No user, session or context processor here: they would read the very cookie
        # or address being refused.
        html = render_to_string("bad_input.html", {"where": where})
        return HttpResponse(html, status=400)
