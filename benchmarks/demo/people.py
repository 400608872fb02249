"""Who works and who is treated at the demo clinic, and the staff accounts to sign in with."""

import secrets
from dataclasses import dataclass
from datetime import time

from django.contrib.auth.models import Group, User

from bookings import roles
from scheduler.models import Practitioner, Role, TreatmentType, WorkingHours

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
    # The waitlist's people (benchmarks/demo/waitlist.py).
    ("Chloe", "Nadeau", "416 555 0123"),
    ("Leo", "Mercier", "416 555 0124"),
    ("Zoe", "Lapointe", "647 555 0125"),
    ("Nathan", "Boucher", "647 555 0126"),
    ("Alice", "Simard", "905 555 0127"),
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


def practitioners() -> dict[str, Practitioner]:
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
