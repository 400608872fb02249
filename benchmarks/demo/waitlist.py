"""The demo's waitlist: patients waiting for their next step, and a freed time on offer.

Entries go through the waitlist services and the offers through the offer engine, so the
demo shows what the rules allow (docs/rules.md#waitlist): the staff pages list who waits,
the console prints the offer texts, and the dashboard's waitlist figures are not all zero.
The freed time is tomorrow's, so it is still to come whatever the hour the demo is seeded.
"""

from datetime import date, timedelta

from benchmarks.demo.clinic import Demo
from bookings.models import Patient
from bookings.services import cancel_appointment
from bookings.waitlist.entries import add_entry
from bookings.waitlist.models import WaitlistEntry
from reminders.offers.engine import offer_freed_time
from reminders.offers.models import FreedTime, WaitlistOffer
from scheduler.models import Kind, Practitioner, TreatmentType

WINDOW_DAYS = 28


def _wait(
    demo: Demo,
    patient: Patient,
    code: str,
    kind: str,
    *,
    latest_on: date | None = None,
    practitioner: Practitioner | None = None,
    parts_of_day: tuple[str, ...] = (),
) -> WaitlistEntry:
    return add_entry(
        patient=patient,
        treatment=TreatmentType.objects.get(code=code),
        kind=kind,
        earliest_on=demo.today,
        latest_on=latest_on or demo.today + timedelta(days=WINDOW_DAYS),
        by=demo.users["frontdesk"],
        practitioner=practitioner,
        parts_of_day=parts_of_day,
    )


def _ready_for_injection(demo: Demo, patient: Patient, doctor: str, days_ago: int) -> None:
    """Examined and prescribed for migraine: the next step is the first injection.

    History days apart from the rest of the demo's, each visit at 10:00 of its day.
    """
    diagnosis = "Chronic migraine, 15 days/month"
    demo.past(patient, "migraine", Kind.EXAM, days_ago, doctor, diagnosis=diagnosis)
    demo.past(patient, "migraine", Kind.PRESCRIPTION, days_ago - 1, doctor)


def seed_waitlist(demo: Demo, doctor: str) -> list[WaitlistOffer]:
    """Three waiting, then a cancellation of tomorrow whose time is offered to them."""
    # Waiting longest: her first injection, with the doctor who prescribed it.
    first = demo.patient()
    _ready_for_injection(demo, first, doctor, days_ago=37)
    _wait(demo, first, "migraine", Kind.INJECTION, practitioner=demo.staff[doctor])
    # A first consultation, mornings only (works afternoons).
    _wait(demo, demo.patient(), "crows-feet", Kind.EXAM, parts_of_day=("morning",))
    # Booked in three weeks, would take an earlier time (the entry keeps that booking).
    later = demo.patient()
    _ready_for_injection(demo, later, doctor, days_ago=34)
    demo.book(later, "migraine", Kind.INJECTION, doctor, after_days=21)
    _wait(demo, later, "migraine", Kind.INJECTION, latest_on=demo.today + timedelta(days=20))
    # Tomorrow's injection cancelled: its time is recorded as freed and offered at once
    # (the task queued after the commit finds the holds running and asks nobody twice).
    cancelling = demo.patient()
    _ready_for_injection(demo, cancelling, doctor, days_ago=31)
    visit = demo.book(cancelling, "migraine", Kind.INJECTION, doctor, after_days=1)
    if visit is None:
        raise RuntimeError("The demo doctor has no free time tomorrow.")
    cancel_appointment(appointment=visit, by=demo.users["frontdesk"], reason="Away for work")
    freed = FreedTime.objects.get(appointment=visit)
    return offer_freed_time(freed_id=freed.pk)
