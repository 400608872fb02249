"""An appointment's overrides and amendments in plain words, for the staff pages.

Staff never see a rule's code (docs/rules.md#pathway): the audit trail keeps codes, so
that what was overridden stays exact, and this module says them in the clinic's words.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bookings.models import Appointment, AuditEntry
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus

RULE_WORDS = {
    "reinjection_too_soon": "the re-injection interval",
    "dose_limit_exceeded": "the cumulative dose limit",
    "units_over_prescription": "the prescription's units per session",
    "authorization_required": "the insurance authorization (none covers the date)",
    "authorization_expired": "the insurance authorization (expired)",
    "authorization_exhausted": "the insurance authorization's sessions or units",
}

FIELD_WORDS = {
    "diagnosis": "diagnosis",
    "notes": "notes",
    "product": "product",
    "units": "units given",
    "lot": "lot",
    "vial": "vial",
    "sites": "sites",
    "units_per_session": "units per session",
    "sessions": "sessions",
    "valid_until": "valid until",
}

# The patient booked from their personal link (written by reminders/links/actions.py;
# docs/rules.md#patient-links): the appointment itself has no user to name.
BOOKED_ONLINE = "booked_online"

WHEN_WORDS = {"recorded": "when recording", "amended": "when amending", "moved": "when moving"}


def rules_in_words(codes: Iterable[str]) -> str:
    words = [RULE_WORDS.get(code, "a safety rule") for code in codes]
    if len(words) > 1:
        return f"{', '.join(words[:-1])} and {words[-1]}"
    return words[0] if words else ""


@dataclass(frozen=True)
class RecordLine:
    at: datetime
    by: str
    words: str
    reason: str


def _by(entry: AuditEntry) -> str:
    user = entry.by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Kept in the trail for exactness, not said: the lot's number is said instead.
UNSAID = {"lot_id"}


def _value(value: Any) -> str:
    if isinstance(value, list):
        units = sum(int(row.get("units", 0)) for row in value)
        return f"{len(value)} sites, {units} units" if value else "(none)"
    return "(empty)" if value in (None, "") else str(value)


def _line(entry: AuditEntry) -> RecordLine:
    detail = entry.detail
    if entry.action == "override":
        when = WHEN_WORDS.get(detail.get("when", ""), "when booking")
        words = f"Overrode {rules_in_words(detail.get('rules', []))} {when}"
    else:
        before, after = detail.get("before", {}), detail.get("after", {})
        changes = "; ".join(
            f"{FIELD_WORDS.get(name, name)} {_value(before.get(name))} → {_value(value)}"
            for name, value in after.items()
            if name not in UNSAID
        )
        words = f"Amended: {changes}"
    return RecordLine(entry.at, _by(entry), words, str(detail.get("reason", "")))


def list_record_lines(appointment: Appointment) -> list[RecordLine]:
    """Overrides and amendments, oldest first: the earlier values stay readable."""
    entries = (
        AuditEntry.objects.filter(appointment=appointment, action__in=("override", "amended"))
        .select_related("by")
        .order_by("at", "id")
    )
    return [_line(e) for e in entries]


def get_booked_by(appointment: Appointment) -> str:
    """Who booked it, in words: the patient online, a user's name, or "" (the system)."""
    if AuditEntry.objects.filter(appointment=appointment, action=BOOKED_ONLINE).exists():
        from_offer = WaitlistEntry.objects.filter(
            appointment=appointment, status=WaitlistStatus.BOOKED
        ).exists()
        return "The patient, online, from a waitlist offer" if from_offer else "The patient, online"
    user = appointment.created_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
