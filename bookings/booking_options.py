"""What the booking screens offer: the kinds the pathway allows now, and free slots grouped.

The answers come from the same pathway rules and slot search the booking service and
the API use; nothing here decides a rule of its own.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Q, Value, When

from bookings import pathway
from bookings.day_parts import in_part
from bookings.errors import PathwayError
from bookings.models import LIVE_STATUSES, Appointment, Course, Patient, Status
from bookings.next_injection import first_safe_day
from bookings.selectors import (
    get_course_history,
    get_current_prescription,
    limits,
    list_practitioner_slots,
)
from bookings.wording import kind_label
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType
from scheduler.selectors import list_qualified_practitioners
from scheduler.slots import Slot


@dataclass(frozen=True)
class KindOption:
    kind: Kind
    allowed: bool
    reason: str = ""  # why not, in the rule's own words
    label: str = ""  # the kind in the clinic's words for this treatment


def list_kind_options(*, patient: Patient, treatment: TreatmentType) -> list[KindOption]:
    """Each kind with the pathway's verdict for this patient and treatment.

    A rule such as "the prescription must start after the exam ends" depends on the
    start, so each kind is tried now and just after the course's last booked visit:
    allowed if either passes, otherwise the first refusal is the reason shown.
    """
    course = Course.objects.filter(patient=patient, treatment_type=treatment).first()
    history = get_course_history(patient=patient, treatment=treatment, course=course)
    now = clock.now()
    options = []
    for kind in Kind:
        if not list_qualified_practitioners(treatment, kind).exists():
            options.append(
                KindOption(
                    kind,
                    False,
                    f"No practitioner here does {kind_label(kind, treatment).lower()} "
                    f"appointments for {treatment.name.lower()}.",
                    kind_label(kind, treatment),
                )
            )
            continue
        refusal = get_pathway_refusal(kind=kind, history=history, now=now)
        options.append(
            KindOption(
                kind,
                refusal is None,
                refusal.message if refusal else "",
                kind_label(kind, treatment),
            )
        )
    return options


def get_pathway_refusal(
    *, kind: str, history: pathway.CourseHistory, now: datetime
) -> PathwayError | None:
    """The pathway's first refusal of ``kind`` for this history, or None when allowed.

    A rule such as "the prescription must start after the exam ends" depends on the
    start, so the kind is tried now and just after the course's last booked visit:
    allowed if either passes, otherwise the first refusal is the answer.
    """
    rules = limits()
    latest = max((v.end_at for v in history.course_visits if v.live), default=now)
    refusal: PathwayError | None = None
    for probe in (now, max(now, latest)):
        try:
            pathway.check_pathway(kind, probe, history, rules)
        except PathwayError as exc:
            refusal = refusal or exc
        else:
            return None
    return refusal


@dataclass(frozen=True)
class DaySlots:
    day: date
    by_practitioner: list[tuple[Practitioner, list[Slot]]]

    @property
    def count(self) -> int:
        return sum(len(slots) for _, slots in self.by_practitioner)


SLOT_DAYS = 14


@dataclass(frozen=True)
class PickerStart:
    """Where the slot picker starts, the earliest day worth showing, and why if pushed."""

    first: date
    floor: date
    note: str = ""


def get_picker_start(
    *,
    asked: date,
    treatment: TreatmentType,
    kind: str,
    patient: Patient | None,
    moving: Appointment | None = None,
) -> PickerStart:
    """The day asked for, or, for an injection the safety rules refuse that day, the
    first day they allow, with the rule's words: weeks of "no free time" explain nothing.
    """
    today = clock.today()
    if patient is not None and kind == Kind.REVIEW and moving is None:
        return _review_start(asked=asked, treatment=treatment, patient=patient, today=today)
    if patient is None or kind != Kind.INJECTION:
        return PickerStart(asked, today)
    exclude_id = moving.pk if moving is not None else None
    history = get_course_history(patient=patient, treatment=treatment, exclude_id=exclude_id)
    wait = first_safe_day(
        history=history,
        limits=limits(),
        planned_units=_planned_units(treatment, moving),
        on=asked,
        exclude_id=exclude_id,
    )
    if wait is None:
        return PickerStart(asked, today)
    reason = wait.reason[:1].lower() + wait.reason[1:]
    if wait.from_on is None:
        return PickerStart(asked, today, f"No injection can be booked within a year: {reason}")
    day = wait.from_on
    return PickerStart(day, day, f"Next injection from {day:%a} {day.day} {day:%b %Y}: {reason}")


def _review_start(
    *, asked: date, treatment: TreatmentType, patient: Patient, today: date
) -> PickerStart:
    """A touch-up review opens on its due date (the last injection + the review days).
    The rules allow it earlier, so a day asked for other than today is shown as asked."""
    if not treatment.review_after_days or asked != today:
        return PickerStart(asked, today)
    last = (
        Appointment.objects.filter(
            patient=patient,
            course__treatment_type=treatment,
            kind=Kind.INJECTION,
            status=Status.COMPLETED,
        )
        .order_by("-start_at")
        .values_list("start_at", flat=True)
        .first()
    )
    if last is None:
        return PickerStart(asked, today)
    due = clock.local_date(last) + timedelta(days=treatment.review_after_days)
    if due <= asked:
        return PickerStart(asked, today)
    return PickerStart(
        due,
        today,
        f"Review due from {due:%a} {due.day} {due:%b %Y}, {treatment.review_after_days} days "
        "after the injection, when its full effect shows.",
    )


def _planned_units(treatment: TreatmentType, moving: Appointment | None) -> int:
    """The units the dose rule will count: the moved booking's own, else the typical dose."""
    planned = moving.planned_units if moving is not None else None
    return planned or treatment.typical_units


def list_slot_days(
    *,
    treatment: TreatmentType,
    kind: str,
    first: date,
    days: int = SLOT_DAYS,
    patient: Patient | None = None,
    practitioner_id: int | None = None,
    moving: Appointment | None = None,
    safety: bool = True,
    usual_id: int | None = None,
    part: str = "",
    history: pathway.CourseHistory | None = None,
) -> list[DaySlots]:
    """Free slots from ``first`` over ``days`` days, by day and then practitioner.

    With a patient, only what the booking service would accept (``safety=False`` keeps the
    times an override could allow); ``moving`` never counts against itself. The patient's
    usual practitioner (``usual_id``) comes first each day, the rest by name; ``part``
    keeps only the starts in that part of the day (``bookings.day_parts``); ``history`` as
    for ``list_slots``.
    """
    last = first + timedelta(days=days - 1)
    pairs = list_practitioner_slots(
        treatment=treatment,
        kind=kind,
        first=first,
        last=last,
        practitioner_id=practitioner_id,
        patient=patient,
        moving_id=moving.pk if moving is not None else None,
        planned_units=_planned_units(treatment, moving),
        safety=safety,
        history=history,
    )
    if part:
        pairs = [
            (p, s) for p, s in pairs if in_part(part=part, start=clock.local(s.start_at).time())
        ]
    practitioners = {p.pk: p for p, _ in pairs}
    grouped: dict[date, dict[int, list[Slot]]] = {}
    for _, s in pairs:
        grouped.setdefault(clock.local_date(s.start_at), {}).setdefault(
            s.practitioner_id, []
        ).append(s)
    result = []
    day = first
    while day <= last:
        per = grouped.get(day, {})
        result.append(
            DaySlots(
                day,
                sorted(
                    (
                        (practitioners[pid], sorted(ss, key=lambda s: s.start_at))
                        for pid, ss in per.items()
                    ),
                    key=lambda pair: (pair[0].pk != usual_id, pair[0].name, pair[0].pk),
                ),
            )
        )
        day += timedelta(days=1)
    return result


def get_usual_practitioner_id(
    *, patient: Patient, treatment: TreatmentType, kind: str
) -> int | None:
    """Who the patient usually sees for this: the latest live visit of the same course and
    kind, else of the same course, else any. One query."""
    same_course = Q(course__treatment_type=treatment)
    return (
        Appointment.objects.filter(patient=patient, status__in=LIVE_STATUSES)
        .order_by(
            Case(
                When(same_course & Q(kind=kind), then=Value(0)),
                When(same_course, then=Value(1)),
                default=Value(2),
            ),
            "-start_at",
        )
        .values_list("practitioner_id", flat=True)
        .first()
    )


def next_free_slots(
    *, treatment: TreatmentType, kind: str, after: datetime, patient: Patient, count: int = 6
) -> list[tuple[Practitioner, Slot]]:
    """The first free slots from ``after`` on, offered when the chosen one was just taken."""
    first = clock.local_date(after)
    return [
        (practitioner, s)
        for practitioner, s in list_practitioner_slots(
            treatment=treatment,
            kind=kind,
            first=first,
            last=first + timedelta(days=SLOT_DAYS - 1),
            patient=patient,
        )
        if s.start_at >= after
    ][:count]


def get_prescribed_units(*, patient: Patient, treatment: TreatmentType) -> int | None:
    """The current prescription's units per session: the least the front desk plans."""
    if not treatment.requires_prescription:
        return None
    course = Course.objects.filter(patient=patient, treatment_type=treatment).first()
    rx = get_current_prescription(course) if course is not None else None
    return rx.units_per_session if rx is not None else None
