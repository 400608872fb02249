"""The generated clinic's staff (with hours and qualifications) and its patients."""

import random
from datetime import date, timedelta
from datetime import time as clock_time

from benchmarks.generator.names import BATCH, DAY_OPENS, DENTAL, FIRST_NAMES, LAST_NAMES
from bookings.models import Patient
from scheduler import clock
from scheduler.models import Category, Kind, Practitioner, Role, TreatmentType, WorkingHours


def make_practitioners(
    count: int, types: dict[str, TreatmentType], rng: random.Random
) -> list[Practitioner]:
    """Physicians, nurse injectors and dentists in turn; the dentists decide TMJ and bruxism."""
    general = [
        c for c, t in types.items() if t.category == Category.THERAPEUTIC and c not in DENTAL
    ]
    cosmetic = [c for c, t in types.items() if t.category == Category.COSMETIC]
    roles = [
        (Role.PHYSICIAN, (True, True, True), general + cosmetic),
        (Role.NURSE_INJECTOR, (True, False, True), [*cosmetic, "migraine", "neck-pain"]),
        (Role.DENTIST, (True, True, True), [*DENTAL, *cosmetic]),
    ]
    staff: list[Practitioner] = []
    wanted: list[list[str]] = []
    for number in range(count):
        role, (examine, prescribe, inject), codes = roles[number % len(roles)]
        staff.append(
            Practitioner(
                name=f"{'Dr. ' if role != Role.NURSE_INJECTOR else ''}"
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} ({number + 1})",
                role=role,
                can_examine=examine,
                can_prescribe=prescribe,
                can_inject=inject,
            )
        )
        wanted.append([c for c in codes if c in types])
    staff = Practitioner.objects.bulk_create(staff)
    link = Practitioner.treatment_types.through
    link.objects.bulk_create(
        link(practitioner_id=p.pk, treatmenttype_id=types[code].pk)
        for p, codes in zip(staff, wanted, strict=True)
        for code in codes
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, weekday=d, start_time=DAY_OPENS, end_time=clock_time(17))
        for p in staff
        for d in range(5)
    )
    return staff


def qualified_for(
    staff: list[Practitioner], types: dict[str, TreatmentType]
) -> dict[tuple[str, str], list[int]]:
    codes = {p.pk: set(p.treatment_types.values_list("code", flat=True)) for p in staff}
    flags = {
        Kind.EXAM: "can_examine",
        Kind.PRESCRIPTION: "can_prescribe",
        Kind.INJECTION: "can_inject",
    }
    found: dict[tuple[str, str], list[int]] = {}
    for code in types:
        for kind, flag in flags.items():
            found[code, kind] = [p.pk for p in staff if getattr(p, flag) and code in codes[p.pk]]
        found[code, Kind.REVIEW] = found[code, Kind.EXAM]
    return found


def make_patients(count: int, rng: random.Random) -> list[Patient]:
    now = clock.now()
    rows = []
    for number in range(count):
        consent = rng.random() < 0.92
        opted_out = consent and rng.random() < 0.03
        rows.append(
            Patient(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50)),
                # E.164 numbers of a reserved-looking block, unique per patient.
                phone=f"+1416{2000000 + number:07d}",
                sms_consent=consent,
                sms_consent_at=now if consent else None,
                sms_consent_source="front_desk" if consent else "",
                sms_opted_out=opted_out,
                sms_opted_out_at=now if opted_out else None,
                phone_invalid=rng.random() < 0.01,
            )
        )
    return Patient.objects.bulk_create(rows, batch_size=BATCH)
