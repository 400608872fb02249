"""Who may see a link: the date of birth, the lock-out and the 30-minute visit.

A link shows nothing personal until the date of birth matches. Five wrong answers
lock it for an hour; both are kept on the link's row by the application's clock.
A verified visit is a signed, timestamped value (the Django session for the pages,
a bearer token for the JSON API): nothing to store, and it names the link it is for.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.core import signing
from django.db import transaction

from bookings.models import LIVE_STATUSES, Patient
from reminders.eligibility import can_open_link
from reminders.models import OPEN_RECALL_STATUSES, Link, LinkPurpose
from reminders.offers.accept import has_ended as offer_has_ended
from scheduler import clock

MAX_WRONG_ANSWERS = 5
LOCK_OUT = timedelta(hours=1)
VISIT = timedelta(minutes=30)
_SALT = "reminders.links.visit"


class LinkState(StrEnum):
    OPEN = "open"
    ENDED = "ended"
    LOCKED = "locked"


def link_state(*, link: Link, now: datetime) -> LinkState:
    """Ended when its purpose ended or after its lifetime; locked after wrong answers."""
    if now >= link.expires_at:
        return LinkState.ENDED
    if link.purpose == LinkPurpose.RECALL:
        if link.recall is None or link.recall.status not in OPEN_RECALL_STATUSES:
            return LinkState.ENDED
    elif link.purpose == LinkPurpose.OFFER:
        if link.offer is None or offer_has_ended(offer=link.offer, now=now):
            return LinkState.ENDED
    else:
        appointment = link.appointment
        if appointment is None or appointment.status not in LIVE_STATUSES:
            return LinkState.ENDED
        if appointment.start_at <= now:
            return LinkState.ENDED
    if link.locked_until is not None and now < link.locked_until:
        return LinkState.LOCKED
    return LinkState.OPEN


# What staff read beside the "Text the booking link" button, and when sending is refused.
NO_DATE_OF_BIRTH = (
    "No date of birth on file: the link asks the patient for it before showing anything, "
    "so it could not be used. Add the date of birth to the patient's details first."
)


def can_verify(*, patient: Patient) -> bool:
    """The date of birth on file is how a patient shows it is them: without one a link
    can never open, so the pages give the phone and staff are told before sending."""
    return can_open_link(patient.date_of_birth)


@dataclass(frozen=True)
class Answer:
    verified: bool
    locked: bool


def check_date_of_birth(*, link: Link, date_of_birth: date | None) -> Answer:
    """Count a wrong answer on the row (locked, so two guesses at once both count)."""
    now = clock.now()
    with transaction.atomic():
        row = Link.objects.select_for_update().get(pk=link.pk)
        if row.locked_until is not None and now < row.locked_until:
            return Answer(verified=False, locked=True)
        expected = link.patient.date_of_birth
        if expected is not None and date_of_birth == expected:
            if row.failed_attempts:
                row.failed_attempts = 0
                row.save(update_fields=["failed_attempts"])
            return Answer(verified=True, locked=False)
        row.failed_attempts += 1
        locked = row.failed_attempts >= MAX_WRONG_ANSWERS
        if locked:
            row.failed_attempts = 0
            row.locked_until = now + LOCK_OUT
        row.save(update_fields=["failed_attempts", "locked_until"])
    link.failed_attempts, link.locked_until = row.failed_attempts, row.locked_until
    return Answer(verified=False, locked=locked)


def open_visit(*, link: Link) -> str:
    """A value that proves, for 30 minutes, that this link's date of birth was given."""
    started = int(clock.now().timestamp())
    return signing.dumps({"link": link.pk, "at": started}, salt=_SALT, compress=True)


def visit_is_valid(*, link: Link, visit: str | None) -> bool:
    """Our clock decides, not the signer's, so a frozen clock freezes the visit too."""
    if not visit:
        return False
    try:
        value = signing.loads(visit, salt=_SALT)
    except signing.BadSignature:
        return False
    if not isinstance(value, dict) or value.get("link") != link.pk:
        return False
    started = value.get("at")
    if not isinstance(started, int):
        return False
    age = clock.now().timestamp() - started
    return 0 <= age < VISIT.total_seconds()


def session_link_id(*, visit: str) -> int | None:
    """Which link a (validly signed) visit is for, to tell "another link's" from "none"."""
    try:
        value = signing.loads(visit, salt=_SALT)
    except signing.BadSignature:
        return None
    link_id = value.get("link") if isinstance(value, dict) else None
    return link_id if isinstance(link_id, int) else None
