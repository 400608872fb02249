"""The insurance authorization rule, pure (docs/rules.md#authorizations).

An insured course's injection needs an authorization whose period covers its clinic
date, with a session and the units to spare. What an authorization has used is the
course's live injections (booked or given) dated inside its period: counted, never
stored, so a cancelled or moved injection gives its share back without bookkeeping.
``pathway.check_safety`` asks this with the other rules a clinician may override.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bookings.errors import PathwayError


@dataclass(frozen=True)
class AuthorizationState:
    """An authorization as the rule sees it."""

    id: int
    valid_from: date
    valid_until: date
    approved_units: int
    approved_sessions: int

    def covers(self, on: date) -> bool:
        return self.valid_from <= on <= self.valid_until


@dataclass(frozen=True)
class Use:
    """One live injection of the course: its clinic date and units (given, else planned)."""

    on: date
    units: int


@dataclass(frozen=True)
class Usage:
    sessions: int
    units: int


def usage_of(authorization: AuthorizationState, uses: Iterable[Use]) -> Usage:
    inside = [u for u in uses if authorization.covers(u.on)]
    return Usage(sessions=len(inside), units=sum(u.units for u in inside))


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def check_authorization(
    *,
    on: date,
    planned_units: int,
    authorizations: Sequence[AuthorizationState],
    uses: Iterable[Use],
) -> PathwayError | None:
    """The refusal for an insured injection on ``on``, or None when an authorization
    covers it. ``uses`` are the course's other live injections (not this one)."""
    covering = [a for a in authorizations if a.covers(on)]
    if not covering:
        ended = [a for a in authorizations if a.valid_until < on]
        if ended:
            last = max(ended, key=lambda a: a.valid_until)
            return PathwayError(
                "authorization_expired",
                f"The insurance authorization ended on {_day(last.valid_until)}; the insurer "
                "must renew it before this injection, or the course can be switched to "
                "self-pay.",
            )
        return PathwayError(
            "authorization_required",
            f"This course is paid by insurance and no authorization covers {_day(on)}: "
            "add the insurer's authorization, or switch the course to self-pay.",
        )
    uses = list(uses)
    refusal: PathwayError | None = None
    for authorization in covering:
        used = usage_of(authorization, uses)
        if used.sessions + 1 > authorization.approved_sessions:
            refusal = refusal or PathwayError(
                "authorization_exhausted",
                f"All {authorization.approved_sessions} sessions the insurer approved until "
                f"{_day(authorization.valid_until)} are used or booked.",
            )
        elif used.units + planned_units > authorization.approved_units:
            left = max(authorization.approved_units - used.units, 0)
            refusal = refusal or PathwayError(
                "authorization_exhausted",
                f"{planned_units} units would pass the insurer's approval: {used.units} of "
                f"{authorization.approved_units} units are used or booked, {left} left.",
            )
        else:
            return None
    return refusal
