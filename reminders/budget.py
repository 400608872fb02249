"""How many texts a patient may get: one budget for every text the clinic starts.

The healthcare exemption that lets a clinic text without written consent caps it at
one text a day and three a week per patient (``SMS_MAX_PER_DAY`` per clinic day,
``SMS_MAX_PER_WEEK`` per rolling 7 days; 0 turns a limit off). Every purpose counts
against the same budget, in order of importance; answers to the patient's own texts
(HELP, C, R, a staff reply) do not (docs/rules.md#texts).

The decision is made once, when a send claims its row, while it holds a lock on the
patient (the claim takes it, ``check`` counts, and an over-budget claim is undone, in
one transaction): two workers sending to one patient take turns, so the second one sees the
first one's text and waits (never over the budget). A text that must wait stays in
the outbox with its reason and the moment it may go: never dropped.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_datetime

from reminders.models import Message, MessageStatus, Purpose
from reminders.windows import QuietHours, day_bounds, next_send_at
from scheduler import clock

WEEK = timedelta(days=7)
# A text that stands aside for a more important one tries again after this: the
# dispatcher's next round, by when the important one has gone (or is waiting itself).
STAND_ASIDE = timedelta(seconds=60)
WAITING = "Waiting:"  # how a budget reason starts, so a later claim can clear it

# Lower goes first. A purpose not listed (a new one) counts, as the least important.
PRIORITY: dict[str, int] = {
    Purpose.APPOINTMENT_REMINDER: 0,
    Purpose.BOOKING_CONFIRMATION: 1,
    Purpose.WAITLIST_OFFER: 2,
    Purpose.RECALL_DUE_SOON: 3,
    Purpose.RECALL_DUE: 3,
    Purpose.RECALL_OVERDUE: 3,
    Purpose.REVIEW: 3,
}
LEAST_IMPORTANT = max(PRIORITY.values())
# Answers to a text the patient sent: outside the budget (they asked).
ANSWERS = frozenset({Purpose.STAFF_REPLY})

# Statuses that mean "this text went (or may have gone) to the patient".
TEXTED = (
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNDELIVERED,
    MessageStatus.UNKNOWN,
)


def counts(purpose: str) -> bool:
    return purpose not in ANSWERS


def priority(purpose: str) -> int:
    return PRIORITY.get(purpose, LEAST_IMPORTANT)


def more_important(purpose: str) -> list[str]:
    """The purposes that go before this one when both are due."""
    rank = priority(purpose)
    return [str(p) for p, r in PRIORITY.items() if r < rank]


@dataclass(frozen=True)
class Verdict:
    """May the text go now; if not, from when, and why (in words for staff)."""

    send: bool
    wait_until: datetime | None = None
    reason: str = ""


def decide(
    *,
    now: datetime,
    texted_at: list[datetime],
    more_important_waiting: bool,
    per_day: int,
    per_week: int,
    quiet: QuietHours,
) -> Verdict:
    """The budget as a pure function of the patient's texts of the last 7 days."""
    if more_important_waiting:
        return Verdict(
            send=False,
            wait_until=now + STAND_ASIDE,
            reason=f"{WAITING} a more important text to this patient goes first.",
        )
    at = next_allowed_at(
        now=now, texted_at=texted_at, per_day=per_day, per_week=per_week, quiet=quiet
    )
    if at <= now:
        return Verdict(send=True)
    day_start, day_end = day_bounds(clock.local_date(now), clock.clinic_tz())
    today = sum(1 for t in texted_at if day_start <= t < day_end)
    if per_day and today >= per_day:
        limit = f"{per_day} text{'s' if per_day > 1 else ''} a day"
    else:
        limit = f"{per_week} texts in 7 days"
    local = clock.local(at)
    return Verdict(
        send=False,
        wait_until=at,
        reason=f"{WAITING} this patient's limit of {limit} is reached; "
        f"goes {local:%a} {local.day} {local:%b %H:%M}.",
    )


def next_allowed_at(
    *, now: datetime, texted_at: list[datetime], per_day: int, per_week: int, quiet: QuietHours
) -> datetime:
    """The first moment from ``now`` on with room in the day, the week and the window."""
    tz = clock.clinic_tz()
    at = now
    # Each round moves past one limit; a handful settles any combination of them.
    for _ in range(per_week + 8):
        at = next_send_at(at, quiet, tz)
        day_start, day_end = day_bounds(clock.local_date(at), tz)
        if per_day and sum(1 for t in texted_at if day_start <= t < day_end) >= per_day:
            at = day_end
            continue
        window = sorted(t for t in texted_at if t > at - WEEK)
        if per_week and len(window) >= per_week:
            at = window[len(window) - per_week] + WEEK
            continue
        return at
    return at


# Plain SQL, the same text on PostgreSQL and SQLite: this runs for every text sent,
# and building the equivalent ORM query cost more than running it (about 1 ms
# against 0.1 ms). The table's name comes from the model.
_FACTS_SQL = """
SELECT sending_at, 0 FROM {message}
WHERE patient_id = %s AND status IN ({texted}) AND sending_at > %s AND id <> %s
  AND purpose NOT IN ({answers})
UNION ALL
SELECT send_after, 1 FROM {message}
WHERE patient_id = %s AND status = %s AND send_after <= %s AND id <> %s
  AND purpose IN ({before})
"""


def _sql(template: str, **lists: int) -> str:
    return template.format(
        message=connection.ops.quote_name(Message._meta.db_table),
        **{name: ", ".join(["%s"] * max(1, n)) for name, n in lists.items()},
    )


def _db_time(moment: datetime) -> str | datetime:
    value = connection.ops.adapt_datetimefield_value(moment)
    assert isinstance(value, str | datetime)
    return value


def _aware(value: object) -> datetime:
    """A datetime from the database as Django reads it (SQLite gives text, naive UTC)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check(*, patient_id: int, message_id: int, purpose: str, now: datetime) -> Verdict:
    """Decide for a patient whose text the caller has just claimed, holding the patient
    (``sending._claim_within_budget``), in the same transaction.

    One indexed query over this one patient's rows, whatever the outbox's size: the
    texts of the last 7 days, and any more important text due now.
    """
    texted = [str(s) for s in TEXTED]
    answers = [str(p) for p in ANSWERS]
    # An empty list would be "IN ()": a purpose nobody has stands in for none.
    before = more_important(purpose) or [""]
    params: list[str | int | datetime] = [
        patient_id, *texted, _db_time(now - WEEK), message_id, *answers,
        patient_id, MessageStatus.QUEUED.value, _db_time(now), message_id, *before,
    ]  # fmt: skip
    sql = _sql(_FACTS_SQL, texted=len(texted), answers=len(answers), before=len(before))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return decide(
        now=now,
        texted_at=[_aware(at) for at, waiting in rows if not waiting and at is not None],
        more_important_waiting=any(waiting for _, waiting in rows),
        per_day=settings.SMS_MAX_PER_DAY,
        per_week=settings.SMS_MAX_PER_WEEK,
        quiet=QuietHours.parse(settings.SMS_QUIET_HOURS),
    )
