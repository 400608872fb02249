"""Reads for bookings: what the rules need, slot search, lists for the API and UI."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from typing import TypedDict, Unpack

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from bookings import pathway
from bookings.authorizations_read import get_authorization_states
from bookings.busy import PATIENT_BUSY, get_busy
from bookings.errors import PathwayError
from bookings.folding import fold
from bookings.models import (
    LIVE_STATUSES,
    Appointment,
    Course,
    Funding,
    Patient,
    Prescription,
    Status,
)
from bookings.rule_keys import same_answer_key
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType
from scheduler.selectors import (
    get_qualified_hours,
    get_qualified_week,
    range_bounds,
)
from scheduler.slots import Hours, Slot, find_slots_in_micros, to_micros


def limits() -> pathway.Limits:
    return pathway.Limits(
        dose_limit_units=settings.DOSE_LIMIT_UNITS,
        dose_window_days=settings.DOSE_WINDOW_DAYS,
        cosmetic_exam_validity_days=settings.COSMETIC_EXAM_VALIDITY_DAYS,
    )


def treatment_rules(treatment: TreatmentType) -> pathway.Treatment:
    return pathway.Treatment(
        code=treatment.code,
        name=treatment.name,
        requires_prescription=treatment.requires_prescription,
        min_reinjection_days=treatment.min_reinjection_days,
    )


def _visit(a: Appointment, code: str = "") -> pathway.Visit:
    units = a.units_given if a.status == Status.COMPLETED and a.units_given else a.planned_units
    return pathway.Visit(
        id=a.pk,
        kind=a.kind,
        status=a.status,
        start_at=a.start_at,
        end_at=a.end_at,
        treatment_code=code,
        diagnosis=a.diagnosis,
        units=units or 0,
    )


def get_course_history(
    *,
    patient: Patient,
    treatment: TreatmentType,
    course: Course | None = None,
    exclude_id: int | None = None,
) -> pathway.CourseHistory:
    """Two queries, whatever the patient's history (three for an insured course: its
    authorizations); ``course`` is optional.

    The course is (patient, treatment), so its visits and prescription are found by
    that pair and the slot search needs no query for the course itself.
    ``exclude_id`` leaves out an appointment being moved, everywhere: from the visits,
    the injections and the prescription's used sessions, so it never blocks itself.
    """
    in_course = Q(course=course) if course is not None else Q(course__treatment_type=treatment)
    rows = (
        Appointment.objects.filter(patient=patient)
        .filter(in_course | Q(kind=Kind.INJECTION, status__in=LIVE_STATUSES))
        .select_related("course__treatment_type")
        .order_by("start_at", "id")
    )
    visits, injections, course = split_visits(rows, treatment, course, exclude_id)
    prescriptions = (
        course.prescriptions.all()
        if course is not None
        else Prescription.objects.filter(course__patient=patient, course__treatment_type=treatment)
    )
    insured = course is not None and course.funding == Funding.INSURANCE
    return pathway.CourseHistory(
        treatment_rules(treatment),
        visits,
        prescription_state(_current(prescriptions, exclude_id)),
        injections,
        insured=insured,
        # One query more for an insured course, none for a self-pay one.
        authorizations=get_authorization_states(course=course) if insured else (),
    )


def split_visits(
    rows: Iterable[Appointment],
    treatment: TreatmentType,
    course: Course | None,
    exclude_id: int | None,
) -> tuple[list[pathway.Visit], list[pathway.Visit], Course | None]:
    """A patient's appointments (with ``course__treatment_type``) as the rules see them:
    the course's visits, the live injections of every type, and the course if found."""
    visits: list[pathway.Visit] = []
    injections: list[pathway.Visit] = []
    for a in rows:
        if a.course.treatment_type_id == treatment.pk:
            # Read even from the appointment being moved: it may be the only one that
            # says whether insurance pays for the course.
            course = course or a.course
        if a.pk == exclude_id:
            continue
        code = a.course.treatment_type.code
        seen = _visit(a, code)
        if a.course.treatment_type_id == treatment.pk:
            visits.append(seen)
        if a.kind == Kind.INJECTION and a.status in LIVE_STATUSES:
            injections.append(seen)
    return visits, injections, course


def _current(
    prescriptions: QuerySet[Prescription], exclude_id: int | None = None
) -> Prescription | None:
    """The latest prescription, with ``used``: its live injections (bar one being moved)."""
    live_uses = Q(injections__status__in=LIVE_STATUSES)
    if exclude_id is not None:
        live_uses &= ~Q(injections__pk=exclude_id)
    return (
        prescriptions.annotate(used=Count("injections", filter=live_uses))
        .order_by("-written_on", "-id")
        .first()
    )


def prescription_state(rx: Prescription | None) -> pathway.PrescriptionState | None:
    if rx is None:
        return None
    return pathway.PrescriptionState(
        rx.valid_until,
        rx.sessions,
        rx.used,  # type: ignore[attr-defined]
        rx.units_per_session,
    )


def get_current_prescription(course: Course) -> Prescription | None:
    return _current(course.prescriptions.all())


class SearchFor(TypedDict, total=False):
    """Whom and what a slot search is for, beyond the treatment, kind and days.

    ``practitioner_id`` narrows it to one practitioner. With a ``patient``, only starts
    the patient is free for and the pathway allows, and with ``safety`` (default on; a
    clinician about to override asks without) only starts the re-injection interval and
    the dose limit allow, for ``planned_units`` (default: the typical dose). ``moving_id``
    is an appointment being moved: it is never in its own way. ``history`` is the
    patient's ``get_course_history`` for this treatment (``moving_id`` left out) when the
    caller has just read it, so it is not read twice.
    """

    practitioner_id: int | None
    patient: Patient | None
    moving_id: int | None
    planned_units: int | None
    safety: bool
    history: pathway.CourseHistory | None


def list_slots(
    *, treatment: TreatmentType, kind: str, first: date, last: date, **search: Unpack[SearchFor]
) -> list[Slot]:
    """Free starts on the clinic grid among qualified practitioners (``SearchFor``).

    Two queries, four with a patient (five when insurance pays for the course; two fewer
    with ``history``), whatever the range or number of practitioners.
    """
    hours = get_qualified_hours(treatment, kind, search.get("practitioner_id"))
    return _search(hours, treatment, kind, first, last, search)


def list_practitioner_slots(
    *, treatment: TreatmentType, kind: str, first: date, last: date, **search: Unpack[SearchFor]
) -> list[tuple[Practitioner, Slot]]:
    """``list_slots``, each start with its practitioner, in the same number of queries."""
    hours, practitioners = get_qualified_week(treatment, kind, search.get("practitioner_id"))
    slots = _search(hours, treatment, kind, first, last, search)
    return [(practitioners[s.practitioner_id], s) for s in slots]


def _search(
    hours: dict[int, list[Hours]],
    treatment: TreatmentType,
    kind: str,
    first: date,
    last: date,
    search: SearchFor,
) -> list[Slot]:
    """The search of ``list_slots`` over these practitioners' weekly hours."""
    patient = search.get("patient")
    moving_id = search.get("moving_id")
    range_start, range_end = range_bounds(first, last)
    busy = (
        get_busy(
            list(hours),
            range_start,
            range_end,
            patient_id=patient.pk if patient is not None else None,
            exclude_id=moving_id,
        )
        if hours
        else {}
    )
    # The patient cannot be in two places: their appointments block every practitioner.
    mine = busy.pop(PATIENT_BUSY, [])
    if mine:
        busy = {pid: [*busy.get(pid, ()), *mine] for pid in hours}
    allowed = None
    if patient is not None:
        allowed = _pathway_filter(
            patient=patient,
            treatment=treatment,
            kind=kind,
            exclude_id=moving_id,
            planned_units=search.get("planned_units") or treatment.typical_units,
            safety=search.get("safety", True),
            history=search.get("history"),
        )
    minute = 60_000_000  # microseconds
    return find_slots_in_micros(
        hours.items(),
        busy,
        first,
        last,
        treatment.minutes_for(kind) * minute,
        not_before=to_micros(clock.now()),
        grid=settings.SLOT_GRID_MINUTES * minute,
        allowed=allowed,
    )


def _pathway_filter(
    *,
    patient: Patient,
    treatment: TreatmentType,
    kind: str,
    exclude_id: int | None,
    planned_units: int,
    safety: bool,
    history: pathway.CourseHistory | None,
) -> Callable[[datetime], bool]:
    """Drop starts the booking service would refuse, where the patient's history tells.

    The safety rules are the ones the service applies, overridable or not: a start the
    dose limit refuses used to be offered and refused only at the confirm step.
    """
    known = (
        history
        if history is not None
        else get_course_history(patient=patient, treatment=treatment, exclude_id=exclude_id)
    )
    rules_limits = limits()
    # Most starts share their answer with the rest of their clinic day (bookings.rule_keys):
    # a search of 8 weeks asks the rules about once a day, not once for each start.
    key_of = same_answer_key(known)
    answers: dict[Hashable, bool] = {}

    def allowed(start_at: datetime) -> bool:
        key = key_of(start_at)
        verdict = answers.get(key)
        if verdict is None:
            verdict = answers[key] = _allowed(start_at)
        return verdict

    def _allowed(start_at: datetime) -> bool:
        try:
            pathway.check_pathway(kind, start_at, known, rules_limits)
        except PathwayError:
            return False
        if not (safety and kind == Kind.INJECTION):
            return True
        safety_verdict = pathway.check_safety(
            start_at, planned_units, known, rules_limits, exclude_id=exclude_id
        )
        return not safety_verdict.overridable

    return allowed


def search_patients(query: str) -> QuerySet[Patient]:
    """Every word must match a name or the phone; a query of only digits is a phone.

    Names are compared folded (``bookings.folding``: case and accents ignored both
    ways) against ``Patient.search_name``, so both databases answer alike. A phone is
    typed with spaces, dashes or a "+1" that would otherwise be words of their own
    ("+1" alone has too few digits to search), so all its digits are matched together
    against the stored E.164 number.
    """
    qs = Patient.objects.all()
    if not any(ch.isalpha() for ch in query):
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 3:
            return qs.filter(phone__contains=digits)
    for term in fold(query).split():
        digits = "".join(ch for ch in term if ch.isdigit())
        cond = Q(search_name__contains=term)
        if len(digits) >= 3:
            cond |= Q(phone__contains=digits)
        qs = qs.filter(cond)
    return qs


def get_course_overviews(
    courses: list[Course],
) -> tuple[dict[int, tuple[str, str]], dict[int, Prescription]]:
    """Each course's pathway step and current prescription, in two queries for any number."""
    visits: dict[int, list[pathway.Visit]] = defaultdict(list)
    for a in Appointment.objects.filter(course__in=courses):
        visits[a.course_id].append(_visit(a))
    current: dict[int, Prescription] = {}
    for written in (
        Prescription.objects.filter(course__in=courses)
        .annotate(used=Count("injections", filter=Q(injections__status__in=LIVE_STATUSES)))
        .order_by("course_id", "-written_on", "-id")
    ):
        current.setdefault(written.course_id, written)
    today = clock.today()
    steps = {}
    for course in courses:
        rx = current.get(course.pk)
        state = (
            pathway.PrescriptionState(rx.valid_until, rx.sessions, rx.used)  # type: ignore[attr-defined]
            if rx
            else None
        )
        history = pathway.CourseHistory(
            treatment_rules(course.treatment_type), visits[course.pk], state, ()
        )
        steps[course.pk] = pathway.next_step(history, today)
    return steps, current
