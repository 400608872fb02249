"""Sign-in guard: repeated wrong passwords lock the username for a while.

django-axes counts failures in the database (so every gunicorn worker sees them)
and refuses further tries, the right password included, until
SIGNIN_LOCKOUT_MINUTES have passed. Failures count per username whether or not
the account exists, so the answer never tells an attacker which names are real.
The count is per username rather than per address: the clinic's desks share one
public address (one typo-prone colleague must not lock out the others) and an
attacker can change address more easily than the account he is after.
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_CODE = "sign_in_locked"


def locked_message() -> str:
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    return (
        "Too many unsuccessful sign-in attempts for this username. For your safety, "
        f"sign-in is paused for {minutes} minutes. Please try again later, or ask a "
        "manager to unlock the account."
    )


class SignInGuardBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' check, for sign-ins that come with a request.

    Code that authenticates without one (a management command, a test's
    ``client.login``) is not a sign-in over the network and has nothing to guard.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 in the API's error shape, or the login page with a polite notice."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": LOCKED_CODE, "detail": locked_message()}, status=429)
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out": locked_message(),
        "clinic_name": settings.CLINIC_NAME,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


def client_for_log(
    username: str, ip_address: str, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """What axes writes in its log lines: the page only, never who or from where."""
    return f"sign-in at {path_info}"
