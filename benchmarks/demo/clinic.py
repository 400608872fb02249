"""The demo's helpers: patients registered, history imported, the future booked."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from benchmarks.demo.people import OPENS, PATIENTS
from bookings.events import Event, publish
from bookings.lots import open_vial
from bookings.models import Appointment, Course, Patient, Prescription, Status
from bookings.patients import register_patient
from bookings.selectors import list_slots
from bookings.services import book_appointment
from scheduler import clock
from scheduler.models import Kind, Lot, Practitioner, TreatmentType

DEMO_PRODUCT = "Botox (onabotulinumtoxinA)"


class Demo:
    def __init__(self, users: dict[str, User], staff: dict[str, Practitioner]) -> None:
        self.users = users
        self.staff = staff
        self.today = clock.today()
        self.patients = iter(PATIENTS)
        self.lot: Lot | None = None

    def patient(self, *, consent: bool = True, opted_out: bool = False) -> Patient:
        first, last, phone = next(self.patients)
        patient = register_patient(
            by=self.users["frontdesk"],
            first_name=first,
            last_name=last,
            phone=phone,
            email=f"{first.lower()}.{last.lower()}@example.com".replace("ô", "o").replace("é", "e"),
            date_of_birth=date(1970 + len(first) * 3, 1 + len(last) % 12, 10 + len(first)),
            sms_consent=consent,
        )
        if opted_out:
            patient.sms_opted_out = True
            patient.sms_opted_out_at = clock.now()
            patient.save()
        return patient

    def written(
        self,
        patient: Patient,
        code: str,
        kind: str,
        practitioner: str,
        start: datetime,
        **fields: Any,
    ) -> Appointment:
        """An appointment written directly (history, or a visit that began already)."""
        treatment = TreatmentType.objects.get(code=code)
        course, _ = Course.objects.get_or_create(patient=patient, treatment_type=treatment)
        return Appointment.objects.create(
            course=course,
            patient=patient,
            practitioner=self.staff[practitioner],
            kind=kind,
            start_at=start,
            end_at=start + timedelta(minutes=treatment.minutes_for(kind)),
            **fields,
        )

    # History: written directly, then announced.
    def past(
        self,
        patient: Patient,
        code: str,
        kind: str,
        days_ago: int,
        practitioner: str,
        **outcome: Any,
    ) -> Appointment:
        start = clock.at(self.today - timedelta(days=days_ago), time(10))
        appointment = self.written(
            patient,
            code,
            kind,
            practitioner,
            start,
            status=Status.COMPLETED,
            completed_at=start + timedelta(minutes=30),
            completed_by=self.users["clinician"],
            created_by=self.users["frontdesk"],
            planned_units=outcome.get("units_given") if kind == Kind.INJECTION else None,
            **outcome,
        )
        course, treatment = appointment.course, appointment.course.treatment_type
        if kind == Kind.PRESCRIPTION:
            Prescription.objects.create(
                course=course,
                appointment=appointment,
                units_per_session=treatment.typical_units,
                sessions=4,
                written_on=start.date(),
                valid_until=start.date() + timedelta(days=365),
                written_by=self.users["clinician"],
            )
        if kind == Kind.INJECTION and treatment.requires_prescription:
            appointment.prescription = course.prescriptions.first()
            appointment.save(update_fields=["prescription"])
        if kind == Kind.INJECTION:
            publish(Event.COMPLETED, appointment)
        return appointment

    def injected(self, patient: Patient, code: str, days_ago: int, practitioner: str) -> None:
        units = TreatmentType.objects.get(code=code).typical_units
        history_start = days_ago + 21
        self.past(
            patient, code, Kind.EXAM, history_start, practitioner, diagnosis=f"Assessed for {code}"
        )
        if TreatmentType.objects.get(code=code).requires_prescription:
            self.past(patient, code, Kind.PRESCRIPTION, history_start - 1, practitioner)
        self.past(
            patient,
            code,
            Kind.INJECTION,
            days_ago,
            practitioner,
            product=DEMO_PRODUCT,
            units_given=units,
            lot="C7421A",
            product_lot=self.lot,
        )

    # The future: booked through the service, in the first free slot.
    def book(
        self,
        patient: Patient,
        code: str,
        kind: str,
        practitioner: str,
        after_days: int = 1,
        nearest: int = 0,
    ) -> Appointment | None:
        treatment = TreatmentType.objects.get(code=code)
        first = self.today + timedelta(days=after_days)
        slots = list_slots(
            treatment=treatment,
            kind=kind,
            first=first,
            last=first + timedelta(days=21),
            practitioner_id=self.staff[practitioner].pk,
            patient=patient,
        )
        if not slots:
            return None
        if after_days == 0:
            slot = slots[min(nearest, len(slots) - 1)]  # around now
        else:
            # Spread the demo over the day rather than stacking everything at opening time.
            slot = slots[(patient.pk * 3) % min(len(slots), 12)]
        return book_appointment(
            patient=patient,
            practitioner=self.staff[practitioner],
            treatment=treatment,
            kind=kind,
            start_at=slot.start_at,
            by=self.users["clinician"],
        )

    def today_at(self, hour: int, minute: int = 0) -> datetime:
        return clock.at(self.today, time(hour, minute))

    def earlier_today(
        self,
        patient: Patient,
        code: str,
        kind: str,
        practitioner: str,
        *,
        minutes_ago: int,
        status: str = Status.BOOKED,
    ) -> Appointment | None:
        """A visit that started a little while ago, for staff to act on now.

        Written directly: the booking service rightly refuses a start in the past.
        Before opening time there is no "earlier today", so it is booked from now on.
        """
        grid = settings.SLOT_GRID_MINUTES
        local_now = clock.local(clock.now())
        floor = local_now.replace(
            minute=local_now.minute - local_now.minute % grid, second=0, microsecond=0
        )
        start = clock.at(self.today, floor.time()) - timedelta(minutes=minutes_ago)
        if start < clock.at(self.today, OPENS):
            return self.book(patient, code, kind, practitioner, after_days=0)
        injection = kind == Kind.INJECTION
        return self.written(
            patient,
            code,
            kind,
            practitioner,
            start,
            status=status,
            planned_units=TreatmentType.objects.get(code=code).typical_units if injection else None,
            prescription=Prescription.objects.filter(
                course__patient=patient, course__treatment_type__code=code
            ).first()
            if injection
            else None,
            confirmed_at=start - timedelta(days=1) if status == Status.CONFIRMED else None,
            checked_in_at=start if status == Status.CHECKED_IN else None,
            created_by=self.users["frontdesk"],
        )


def lots(clinician: User) -> Lot:
    """The lot the past injections came from, one expiring soon, and a vial open today."""
    today = clock.today()
    main, _ = Lot.objects.get_or_create(
        product=DEMO_PRODUCT,
        lot_number="C7421A",
        defaults={
            "expires_on": today + timedelta(days=240),
            "vials_received": 20,
            "units_per_vial": 100,
        },
    )
    soon, _ = Lot.objects.get_or_create(
        product=DEMO_PRODUCT,
        lot_number="C6980B",
        defaults={
            "expires_on": today + timedelta(days=20),
            "vials_received": 2,
            "units_per_vial": 200,
        },
    )
    if not soon.vials.exists():
        open_vial(lot=soon, diluent_ml=Decimal("4.0"), by=clinician)
    return main
