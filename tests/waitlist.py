"""A waitlist for a freed Tuesday 10:00, with patients the rules allow and refuse.

Shared by the matching, offer, cascade and real-worker tests: each can see which of
the same people are asked about the time, and in which order.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from bookings.models import Patient
from bookings.waitlist.entries import add_entry
from bookings.waitlist.models import WaitlistEntry
from scheduler.models import Practitioner
from tests.clock import NOW, at
from tests.factories import PatientFactory, PractitionerFactory, treatment
from tests.histories import given_injection, written_prescription
from tests.reminders.links.support import BIRTH

# Tuesday 3 March 2026, the day after NOW: the time a cancellation frees.
FREED_AT = at(2026, 3, 3, 10)


def ready_patient(**fields: object) -> Patient:
    """A migraine patient with a written prescription: an injection may be booked."""
    patient = PatientFactory(date_of_birth=BIRTH, **fields)
    written_prescription(patient)
    return patient


def wait(patient: Patient, *, waiting_since: datetime, **fields: object) -> WaitlistEntry:
    """The patient on the list for a migraine injection in March, since ``waiting_since``."""
    values: dict[str, object] = {
        "treatment": treatment("migraine"),
        "kind": "injection",
        "earliest_on": NOW.date(),
        "latest_on": NOW.date() + timedelta(days=28),
        **fields,
    }
    entry = add_entry(patient=patient, by=None, **values)  # type: ignore[arg-type]
    WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=waiting_since)
    entry.refresh_from_db()
    return entry


@dataclass
class Waitlist:
    doctor: Practitioner
    first: WaitlistEntry  # waiting longest, allowed
    too_soon: WaitlistEntry  # an injection of the same type 2 weeks ago
    over_dose: WaitlistEntry  # 300 units of another type 10 days ago: 155 more is over 400
    second: WaitlistEntry  # allowed, waiting since later
    third: WaitlistEntry  # allowed, waiting since later still
    fourth: WaitlistEntry  # allowed, the last


def waitlist() -> Waitlist:
    """Entries added in an order other than their waiting order, so ids do not decide."""
    doctor = PractitionerFactory(name="Dr. Waits")
    day = NOW - timedelta(days=20)
    fourth = wait(ready_patient(), waiting_since=day + timedelta(hours=6))
    third = wait(ready_patient(), waiting_since=day + timedelta(hours=5))
    soon = ready_patient()
    given_injection(soon, "migraine", at(2026, 2, 16), 155)
    too_soon = wait(soon, waiting_since=day + timedelta(hours=1))
    heavy = ready_patient()
    given_injection(heavy, "neck-pain", at(2026, 2, 20), 300)
    over_dose = wait(heavy, waiting_since=day + timedelta(hours=2))
    second = wait(ready_patient(), waiting_since=day + timedelta(hours=3))
    first = wait(ready_patient(), waiting_since=day)
    return Waitlist(doctor, first, too_soon, over_dose, second, third, fourth)
