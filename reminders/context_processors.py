"""The inbox link and its badge in the header every page shares (base.html)."""

from typing import Any

from django.http import HttpRequest

from bookings import renewals, roles
from reminders import inbox
from scheduler import clock


def inbox_badge(request: HttpRequest) -> dict[str, Any]:
    """``show_inbox`` for staff, and ``inbox_count``, counted only if a template asks.

    ``inbox_count`` is a callable, which templates call when they use it, so an htmx
    fragment or a page without the header costs no query. Only those who answer the
    inbox get the count: managers read it but do not act on it, and their dashboard
    keeps its query budget.
    """
    user = getattr(request, "user", None)
    if user is None or not roles.can_read(user):
        return {}
    if not roles.can_book(user):
        return {"show_inbox": True}
    return {
        "show_inbox": True,
        "inbox_count": inbox.count_inbox,
        # Front desk and clinicians chase the insurers; a callable, like the inbox count.
        "renewal_count": _count_renewals,
    }


def _count_renewals() -> int:
    return renewals.count_renewals(today=clock.today())
