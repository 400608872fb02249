"""Web UI: what every page shares (header, roles, safe redirects) and the home pages.

The pages themselves live by topic in views_calendar, views_patients, views_booking
and views_appointments; all of them call bookings.services and the selectors, the
same code the API calls.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from bookings import roles
from scheduler import clock

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]

ROLE_LABELS = {
    roles.FRONT_DESK: "Front desk",
    roles.CLINICIAN: "Clinician",
    roles.MANAGER: "Manager",
}


def require(check: Callable[[roles.AnyUser], bool]) -> Callable[[View[P]], View[P]]:
    """Logged in, and allowed by ``check`` (a bookings.roles predicate), else 403."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View[P], login_required(wrapped))

    return decorate


def header(request: HttpRequest) -> dict[str, Any]:
    """What base.html shows on every page, and what the templates may offer this user."""
    user = request.user
    role = roles.primary_role(user)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_today": clock.today(),
        "role_label": "Administrator"
        if getattr(user, "is_superuser", False)
        else ROLE_LABELS.get(role or "", ""),
        "can_book": roles.can_book(user),
        "can_record": roles.can_record_clinical(user),
        "can_manage": roles.can_manage(user),
    }


def page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(request, template, {**header(request), **(context or {})}, status=status)


def form_page(request: HttpRequest, template: str, form: Form, **context: Any) -> HttpResponse:
    """A form's page: shown empty (200), or back with what was typed and why not (400)."""
    return page(request, template, {"form": form, **context}, status=400 if form.is_bound else 200)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The page to return to after an action, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "clinic_name": settings.CLINIC_NAME}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: the day's calendar for the front desk and clinicians, the
    follow-ups dashboard for managers."""
    if roles.can_book(request.user):
        return redirect("bookings:calendar")
    if roles.can_manage(request.user):
        # The dashboard is reminders' page: bookings names it, never imports it.
        return redirect("reminders:follow-ups")
    raise PermissionDenied


def back_to(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, fallback))


def calendar_url(day: Any = None) -> str:
    return reverse("bookings:calendar") + (f"?date={day:%Y-%m-%d}" if day else "")
