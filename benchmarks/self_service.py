"""Self-service slots (docs/rules.md#patient-links): what a patient's link offers.

One prescribed migraine patient due back, 10 practitioners half booked over 8 weeks;
the measured call is what the link's slots/ answer runs: the offer (every pathway and
safety rule for this patient) and the allowed starts over the range.
"""

import random
from datetime import date, time, timedelta

from benchmarks import data
from benchmarks.report import Row, measure, verdict
from benchmarks.sizes import Sizes
from bookings.models import Appointment, Course, Patient, Prescription, Status
from reminders.links import offer
from reminders.links.tokens import create_link, find_link
from reminders.models import Recall, RecallKind
from scheduler import clock
from scheduler.models import Kind, Practitioner, TreatmentType

SECTION = "8. self-service slots"
BUDGET_MS = 25.0
BUDGET_QUERIES = 8
PRACTITIONERS = 10
WEEKS = 8


def _visit(course: Course, who: Practitioner, kind: str, on: date, **fields: object) -> Appointment:
    start_at = clock.at(on, time(9))
    return Appointment.objects.create(
        course=course,
        patient=course.patient,
        practitioner=who,
        kind=kind,
        start_at=start_at,
        end_at=start_at + timedelta(minutes=30),
        status=Status.COMPLETED,
        **fields,
    )


def _patient_due(who: Practitioner) -> str:
    """Examined, prescribed and injected 90 days ago: the next injection is allowed now."""
    today = clock.today()
    patient = Patient.objects.create(
        first_name="Self",
        last_name="Service",
        phone="+16475550100",
        date_of_birth=date(1980, 5, 17),
        sms_consent=True,
        sms_consent_at=clock.now(),
        sms_consent_source="bench",
    )
    course = Course.objects.create(
        patient=patient, treatment_type=TreatmentType.objects.get(code="migraine")
    )
    _visit(course, who, Kind.EXAM, today - timedelta(days=120), diagnosis="Chronic migraine")
    written = _visit(course, who, Kind.PRESCRIPTION, today - timedelta(days=119))
    Prescription.objects.create(
        course=course,
        appointment=written,
        units_per_session=155,
        sessions=4,
        written_on=today - timedelta(days=119),
        valid_until=today + timedelta(days=246),
    )
    injection = _visit(
        course, who, Kind.INJECTION, today - timedelta(days=90), planned_units=155, units_given=155
    )
    recall = Recall.objects.create(
        patient=patient,
        course=course,
        treatment_type=course.treatment_type,
        kind=RecallKind.REINJECTION,
        source_appointment=injection,
        due_on=today,
        last_injection_on=today - timedelta(days=90),
    )
    return create_link(recall=recall)  # the token, as the patient's text carries it


def run(sizes: Sizes) -> list[Row]:
    data.reset()
    first = data.next_monday()
    days = WEEKS * 7
    staff = data.make_practitioners(PRACTITIONERS, ["migraine"], prefix="Self")
    data.book_calendar(
        staff,
        data.make_courses(200),
        first=first,
        days=days,
        share=0.5,
        rng=random.Random(sizes.seed),
    )
    token = _patient_due(staff[0])
    data.analyze()

    def starts(span: int) -> object:
        def search() -> int:
            # As the link's slots/ answer runs it: the token's lookup first.
            fresh = find_link(token)
            assert fresh is not None
            what = offer.get_offer(link=fresh)
            return len(
                offer.list_offered_starts(
                    link=fresh, offer=what, first=first, last=first + timedelta(days=span - 1)
                )
            )

        return search

    full = starts(days)
    timing, queries = measure(full, runs=sizes.slot_runs)  # type: ignore[arg-type]
    _, week_queries = measure(starts(7), runs=2)  # type: ignore[arg-type]
    found = full()  # type: ignore[operator]
    return [
        Row(
            SECTION,
            "self-service slots, median time",
            f"1 patient, {PRACTITIONERS} practitioners × {WEEKS} weeks, half booked",
            f"{timing.text()}, {found:,} starts",
            f"≤ {BUDGET_MS:.0f} ms",
            verdict(timing.median <= BUDGET_MS),
            {**timing.as_dict(), "starts": found},
        ),
        Row(
            SECTION,
            "self-service slots, SQL queries",
            "8 weeks and 1 week",
            f"{max(queries)} and {max(week_queries)}",
            f"≤ {BUDGET_QUERIES}",
            verdict(max(queries) <= BUDGET_QUERIES and max(week_queries) <= BUDGET_QUERIES),
            {"eight_weeks": max(queries), "one_week": max(week_queries)},
        ),
    ]
