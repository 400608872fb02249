"""A believable demo clinic: staff, practitioners with hours, patients at every step.

Future appointments are booked through the booking service, so they obey every rule.
History (past exams, prescriptions and injections) is written directly, as an import
of earlier records would be, and then announced as completed so that recalls follow.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from bookings import roles
from bookings.events import Event, publish
from bookings.lots import open_vial
from bookings.models import Appointment, Course, Patient, Prescription, Status
from bookings.patients import register_patient
from bookings.selectors import list_slots
from bookings.services import book_appointment
from scheduler import clock
from scheduler.models import Kind, Lot, Practitioner, Role, TreatmentType, WorkingHours

THERAPEUTIC_GENERAL = [
    "migraine",
    "neck-pain",
    "trigger-points",
    "shoulder-back-pain",
    "muscle-spasms",
    "hyperhidrosis",
]
DENTAL = ["bruxism", "jaw-clenching", "tmj"]
COSMETIC = ["forehead-lines", "frown-lines", "crows-feet", "laugh-lines"]

# Long days, every day: a newcomer may try the demo at any hour, and today's calendar
# must have work on it (a real clinic sets its own hours in the admin).
DEMO_HOURS = [(day, time(7), time(23, 45)) for day in range(7)]
OPENS = time(7)


@dataclass(frozen=True)
class StaffSpec:
    name: str
    role: str
    flags: tuple[bool, bool, bool]  # examine, prescribe, inject
    types: list[str]
    hours: list[tuple[int, time, time]]


STAFF = [
    StaffSpec(
        "Dr. Amelia Hart",
        Role.PHYSICIAN,
        (True, True, True),
        THERAPEUTIC_GENERAL + COSMETIC,
        DEMO_HOURS,
    ),
    StaffSpec("Dr. Daniel Lee", Role.DENTIST, (True, True, True), DENTAL + COSMETIC, DEMO_HOURS),
    StaffSpec(
        "Megan Nicholls, RPN",
        Role.NURSE_INJECTOR,
        (True, False, True),
        [*COSMETIC, "migraine", "hyperhidrosis", "neck-pain"],
        DEMO_HOURS,
    ),
    StaffSpec(
        "Dr. Priya Shah", Role.PHYSICIAN, (True, True, True), THERAPEUTIC_GENERAL, DEMO_HOURS
    ),
]

PATIENTS = [
    ("Olivia", "Martin", "416 555 0101"),
    ("Liam", "Tremblay", "416 555 0102"),
    ("Emma", "Roy", "647 555 0103"),
    ("Noah", "Gagnon", "647 555 0104"),
    ("Charlotte", "Côté", "905 555 0105"),
    ("William", "Bouchard", "905 555 0106"),
    ("Amelia", "Gauthier", "416 555 0107"),
    ("Benjamin", "Morin", "416 555 0108"),
    ("Sophia", "Lavoie", "647 555 0109"),
    ("Lucas", "Fortin", "647 555 0110"),
    ("Mia", "Gagné", "905 555 0111"),
    ("Ethan", "Ouellet", "905 555 0112"),
    ("Harper", "Pelletier", "416 555 0113"),
    ("Jacob", "Bélanger", "416 555 0114"),
    ("Ava", "Lévesque", "647 555 0115"),
    ("Jack", "Bergeron", "647 555 0116"),
    ("Evelyn", "Caron", "905 555 0117"),
    ("Henry", "Girard", "905 555 0118"),
    ("Abigail", "Poirier", "416 555 0119"),
    ("Samuel", "Leblanc", "416 555 0120"),
    ("Emily", "Dufour", "647 555 0121"),
    ("Owen", "Paquette", "647 555 0122"),
]

MARKER = STAFF[0].name


def already_seeded() -> bool:
    return Practitioner.objects.filter(name=MARKER).exists()


def ensure_users(password: str | None) -> tuple[dict[str, User], str | None]:
    """The three demo accounts; a password is generated only when one is needed."""
    generated = None
    users = {}
    for username, group in (
        ("frontdesk", roles.FRONT_DESK),
        ("clinician", roles.CLINICIAN),
        ("manager", roles.MANAGER),
    ):
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": username.title()}
        )
        if created or password:
            if not password and generated is None:
                generated = secrets.token_urlsafe(9)
            user.set_password(password or generated)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users, generated


def _practitioners() -> dict[str, Practitioner]:
    found = {}
    for spec in STAFF:
        practitioner, created = Practitioner.objects.get_or_create(
            name=spec.name,
            defaults={
                "role": spec.role,
                "can_examine": spec.flags[0],
                "can_prescribe": spec.flags[1],
                "can_inject": spec.flags[2],
            },
        )
        if created:
            practitioner.treatment_types.set(TreatmentType.objects.filter(code__in=spec.types))
            WorkingHours.objects.bulk_create(
                WorkingHours(practitioner=practitioner, weekday=d, start_time=s, end_time=e)
                for d, s, e in spec.hours
            )
        found[spec.name] = practitioner
    return found


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
        treatment = TreatmentType.objects.get(code=code)
        course, _ = Course.objects.get_or_create(patient=patient, treatment_type=treatment)
        start = clock.at(self.today - timedelta(days=days_ago), time(10))
        appointment = Appointment.objects.create(
            course=course,
            patient=patient,
            practitioner=self.staff[practitioner],
            kind=kind,
            start_at=start,
            end_at=start + timedelta(minutes=treatment.minutes_for(kind)),
            status=Status.COMPLETED,
            completed_at=start + timedelta(minutes=30),
            completed_by=self.users["clinician"],
            created_by=self.users["frontdesk"],
            planned_units=outcome.get("units_given") if kind == Kind.INJECTION else None,
            **outcome,
        )
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
        treatment = TreatmentType.objects.get(code=code)
        course, _ = Course.objects.get_or_create(patient=patient, treatment_type=treatment)
        appointment = Appointment.objects.create(
            course=course,
            patient=patient,
            practitioner=self.staff[practitioner],
            kind=kind,
            start_at=start,
            end_at=start + timedelta(minutes=treatment.minutes_for(kind)),
            status=status,
            planned_units=treatment.typical_units if kind == Kind.INJECTION else None,
            prescription=course.prescriptions.first() if kind == Kind.INJECTION else None,
            confirmed_at=start - timedelta(days=1) if status == Status.CONFIRMED else None,
            checked_in_at=start if status == Status.CHECKED_IN else None,
            created_by=self.users["frontdesk"],
        )
        return appointment


DEMO_PRODUCT = "Botox (onabotulinumtoxinA)"


def _lots(clinician: User) -> Lot:
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


@transaction.atomic
def seed(password: str | None) -> tuple[dict[str, User], str | None, bool]:
    users, generated = ensure_users(password)
    if already_seeded():
        return users, generated, False
    staff = _practitioners()
    demo = Demo(users, staff)
    demo.lot = _lots(users["clinician"])
    hart, lee, megan, shah = (s.name for s in STAFF)

    # Today, around now, whatever the hour: visits that began a little earlier (check
    # in, record the outcome, or mark a no-show) and the next ones from now on.
    p = demo.patient()
    demo.earlier_today(p, "migraine", Kind.EXAM, hart, minutes_ago=30)  # arrived? check in
    p = demo.patient()
    demo.earlier_today(
        p, "frown-lines", Kind.EXAM, megan, minutes_ago=60, status=Status.CHECKED_IN
    )  # a consultation to record
    p = demo.patient()
    demo.past(p, "migraine", Kind.EXAM, 15, shah, diagnosis="Chronic migraine, 16 days/month")
    demo.past(p, "migraine", Kind.PRESCRIPTION, 14, shah)
    demo.earlier_today(
        p, "migraine", Kind.INJECTION, shah, minutes_ago=45, status=Status.CONFIRMED
    )  # an injection to record
    p = demo.patient()
    demo.earlier_today(p, "bruxism", Kind.EXAM, lee, minutes_ago=90)  # never came: no-show?

    # Tomorrow: first visits, so the next day is not empty either.
    demo.book(demo.patient(), "laugh-lines", Kind.EXAM, megan, after_days=1)
    demo.book(demo.patient(), "jaw-clenching", Kind.EXAM, lee, after_days=1)

    # Every step of the pathway.
    p = demo.patient()
    demo.book(p, "migraine", Kind.EXAM, hart, after_days=0)  # needs exam → exam booked
    p = demo.patient()
    demo.past(p, "neck-pain", Kind.EXAM, 5, shah, diagnosis="Cervical dystonia")  # needs Rx
    p = demo.patient()
    demo.past(p, "tmj", Kind.EXAM, 12, lee, diagnosis="Myofascial TMJ pain")
    demo.past(p, "tmj", Kind.PRESCRIPTION, 11, lee)  # ready to book injection
    p = demo.patient()
    demo.past(p, "migraine", Kind.EXAM, 20, shah, diagnosis="Chronic migraine, 18 days/month")
    demo.past(p, "migraine", Kind.PRESCRIPTION, 19, shah)
    demo.book(p, "migraine", Kind.INJECTION, shah)  # injection booked
    p = demo.patient()
    demo.book(p, "frown-lines", Kind.EXAM, megan, after_days=0, nearest=2)  # consultation
    p = demo.patient()
    demo.injected(p, "crows-feet", 10, megan)  # review due soon
    demo.book(p, "crows-feet", Kind.REVIEW, megan, after_days=2)

    # Recalls falling due in the coming days, one overdue, one for sweating at 6 months.
    for days_ago, code, who in (
        (80, "migraine", shah),
        (86, "forehead-lines", megan),
        (89, "bruxism", lee),
        (90, "neck-pain", hart),
        (95, "frown-lines", megan),
        (120, "trigger-points", hart),
        (178, "hyperhidrosis", shah),
    ):
        demo.injected(demo.patient(), code, days_ago, who)
    # SMS rules need these: no consent, and an opt-out.
    demo.injected(demo.patient(consent=False), "migraine", 88, shah)
    demo.injected(demo.patient(opted_out=True), "laugh-lines", 84, megan)
    return users, generated, True
