"""The care pathway and the safety rules as pure functions (docs/rules.md#pathway).

Nothing here touches the database: the booking service gathers a ``CourseHistory``
once and these functions answer, so the same rules serve booking, slot filtering
and the "next step" shown to staff, and are tested without a database.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bookings.errors import OVERRIDABLE, PathwayError, RulesRefused
from scheduler.clock import local, local_date

EXAM, PRESCRIPTION, INJECTION, REVIEW = "exam", "prescription", "injection", "review"
LIVE = frozenset({"booked", "confirmed", "checked_in", "completed"})


@dataclass(frozen=True)
class Visit:
    """An appointment as the rules see it."""

    id: int
    kind: str
    status: str
    start_at: datetime
    end_at: datetime
    treatment_code: str = ""
    diagnosis: str = ""
    units: int = 0  # units given when completed, else planned

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def done(self) -> bool:
        return self.status == "completed"

    @property
    def on(self) -> date:
        return local_date(self.start_at)


@dataclass(frozen=True)
class Treatment:
    code: str
    name: str
    requires_prescription: bool
    min_reinjection_days: int


@dataclass(frozen=True)
class PrescriptionState:
    valid_until: date
    sessions: int
    sessions_used: int
    units_per_session: int = 0  # 0: not known to the caller, so not checked

    @property
    def sessions_left(self) -> int:
        return self.sessions - self.sessions_used


@dataclass(frozen=True)
class CourseHistory:
    """What the rules need to know about one patient and one course."""

    treatment: Treatment
    course_visits: Sequence[Visit] = ()
    prescription: PrescriptionState | None = None
    # The patient's injections of every type, for the interval and dose rules.
    patient_injections: Sequence[Visit] = ()


@dataclass(frozen=True)
class Limits:
    dose_limit_units: int = 400
    dose_window_days: int = 84
    cosmetic_exam_validity_days: int = 365


@dataclass
class Verdict:
    """Safety rules that failed but a clinician may override."""

    overridable: list[PathwayError] = field(default_factory=list)


def exam_word(treatment: Treatment) -> str:
    """A cosmetic course's exam is a consultation: no diagnosis is asked for (docs/rules.md#pathway)."""
    return "an exam" if treatment.requires_prescription else "a consultation"


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _clock(moment: datetime) -> str:
    return f"{local(moment):%H:%M} on {_day(local_date(moment))}"


def check_pathway(
    kind: str, start_at: datetime, history: CourseHistory, limits: Limits | None = None
) -> None:
    """Raise the first care-pathway rule this booking breaks (never overridable)."""
    visits = [v for v in history.course_visits if v.live]
    treatment = history.treatment
    if kind == PRESCRIPTION:
        exams = [v for v in visits if v.kind == EXAM]
        exam = exam_word(treatment)
        if not exams:
            first = (
                "the diagnosis comes before the prescription"
                if treatment.requires_prescription
                else "it comes before the prescription"
            )
            raise PathwayError("exam_required", f"Book {exam} first: {first}.")
        if not any(v.end_at <= start_at for v in exams):
            first_end = min(v.end_at for v in exams)
            raise PathwayError(
                "exam_required",
                f"The prescription must start after the {exam.split()[-1]} ends "
                f"({_clock(first_end)}).",
            )
    elif kind == INJECTION and treatment.requires_prescription:
        _check_prescription(start_at, history)
    elif kind == INJECTION:
        _check_cosmetic_exam(start_at, visits, (limits or Limits()).cosmetic_exam_validity_days)
    elif kind == REVIEW and not any(v.kind == INJECTION and v.end_at <= start_at for v in visits):
        raise PathwayError(
            "injection_required", "A review can only be booked after an injection of this course."
        )


def _check_prescription(start_at: datetime, history: CourseHistory) -> None:
    rx = history.prescription
    if rx is None:
        pending = any(
            v.kind == PRESCRIPTION and v.live and not v.done for v in history.course_visits
        )
        has_diagnosis = any(
            v.kind == EXAM and v.done and v.diagnosis.strip() for v in history.course_visits
        )
        if pending:
            detail = (
                "the prescription appointment is booked but the prescription is not written yet"
            )
        elif has_diagnosis:
            detail = "book a prescription appointment after the exam"
        else:
            detail = "an exam with a diagnosis, then a prescription, come first"
        raise PathwayError(
            "prescription_required",
            f"{history.treatment.name} needs a written prescription before the injection: "
            f"{detail}.",
        )
    on = local_date(start_at)
    if rx.valid_until < on:
        raise PathwayError(
            "prescription_expired",
            f"The prescription expired on {_day(rx.valid_until)}; a new one is needed "
            "before this injection.",
        )
    if rx.sessions_left <= 0:
        raise PathwayError(
            "no_sessions_left",
            f"All {rx.sessions} sessions of the prescription are used or booked; "
            "a new prescription is needed.",
        )


def _check_cosmetic_exam(start_at: datetime, visits: Iterable[Visit], validity_days: int) -> None:
    on = local_date(start_at)
    recent = on - timedelta(days=validity_days)
    for v in visits:
        if v.kind != EXAM:
            continue
        if v.done and recent <= v.on <= on and v.start_at <= start_at:
            return
        if not v.done and v.on == on and v.end_at <= start_at:
            return
    raise PathwayError(
        "exam_required",
        "A consultation is needed first: one completed in the last 12 months, "
        "or one booked earlier the same day.",
    )


def check_safety(
    start_at: datetime,
    planned_units: int,
    history: CourseHistory,
    limits: Limits,
    *,
    exclude_id: int | None = None,
    recording: bool = False,
) -> Verdict:
    """The safety rules a clinician may override: the re-injection interval, the
    prescription's units per session and the cumulative dose.

    Recording an injection (``recording=True``) skips the interval: its date was
    checked, or overridden, when it was booked or moved. Its units are checked again,
    because the units given are what the dose rule counts from then on.
    """
    verdict = Verdict()
    on = local_date(start_at)
    treatment = history.treatment
    others = [v for v in history.patient_injections if v.live and v.id != exclude_id]
    if not recording:
        _check_interval(on, treatment, others, verdict)
    per_session = _units_per_session(history)
    if per_session and planned_units > per_session:
        verdict.overridable.append(
            PathwayError(
                "units_over_prescription",
                f"{planned_units} units is more than the prescription's "
                f"{per_session} units per session.",
            )
        )
    _check_dose(on, planned_units, others, limits, verdict, "given" if recording else "planned")
    return verdict


def _check_interval(
    on: date, treatment: Treatment, others: Sequence[Visit], verdict: Verdict
) -> None:
    same_type = [v for v in others if v.treatment_code == treatment.code]
    gap = treatment.min_reinjection_days
    # Given injections count (docs/rules.md#pathway); so do ones already booked, or a second booking
    # could slip in between an injection and its follow-up.
    too_close = [v for v in same_type if abs((on - v.on).days) < gap]
    if too_close:
        nearest = max((v for v in too_close if v.on <= on), key=lambda v: v.on, default=None)
        if nearest is not None:
            allowed = nearest.on + timedelta(days=gap)
            given = "was given" if nearest.done else "is booked"
            message = (
                f"The last {treatment.name.lower()} injection {given} on {_day(nearest.on)}; "
                f"the next is allowed from {_day(allowed)} (at least {gap} days apart)."
            )
        else:
            later = min(too_close, key=lambda v: v.on)
            message = (
                f"Another {treatment.name.lower()} injection is booked on {_day(later.on)}; "
                f"injections must be at least {gap} days apart."
            )
        verdict.overridable.append(PathwayError("reinjection_too_soon", message))


def _check_dose(
    on: date,
    planned_units: int,
    others: Sequence[Visit],
    limits: Limits,
    verdict: Verdict,
    words: str,
) -> None:
    # Same-day injections of other types count too: the limit is across indications.
    # The new injection also falls inside the 84-day window of every injection booked
    # after it, so a booking that would push a later one over the limit is refused too.
    window = limits.dose_window_days
    later_days = sorted({v.on for v in others if 0 < (v.on - on).days < window})
    for anchor in [on, *later_days]:
        units = planned_units + sum(v.units for v in others if 0 <= (anchor - v.on).days < window)
        if units <= limits.dose_limit_units:
            continue
        if anchor == on:
            message = (
                f"{planned_units} units {words} plus {units - planned_units} units in the "
                f"{window} days before would exceed the {limits.dose_limit_units}-unit limit."
            )
        else:
            message = (
                f"{planned_units} units {words} would bring the {window} days up to the "
                f"injection booked on {_day(anchor)} to {units} units, over the "
                f"{limits.dose_limit_units}-unit limit."
            )
        verdict.overridable.append(PathwayError("dose_limit_exceeded", message))
        break


def apply_overrides(
    verdict: Verdict,
    *,
    override_reason: str,
    override_rules: Collection[str] = (),
    may_override: bool,
) -> list[str]:
    """Return the rules overridden, or raise listing every rule that fails.

    Only a clinician overrides, with a reason, and only the rules they name: one
    reason never covers a rule the clinician was not shown (docs/rules.md#pathway).
    """
    failing = verdict.overridable
    # A reason with nothing to override is no attempt to override: the booking stands.
    if not failing:
        return []
    assert {e.code for e in failing} <= OVERRIDABLE
    reason = override_reason.strip()
    if reason and not may_override:
        # A rule code like the others, so 400 (docs/rules.md#errors), not a 403 for the whole endpoint.
        raise RulesRefused(
            "override_not_allowed",
            f"Only a clinician can override this: {failing[0].message}",
            rules=failing,
        )
    unnamed = [e for e in failing if not reason or e.code not in override_rules]
    if unnamed:
        raise RulesRefused(unnamed[0].code, unnamed[0].message, rules=failing)
    return [e.code for e in failing]


def _units_per_session(history: CourseHistory) -> int:
    """The prescription's units per session, or 0 where none applies (cosmetic)."""
    rx = history.prescription
    if history.treatment.requires_prescription and rx is not None:
        return rx.units_per_session
    return 0


def planned_units_floor(history: CourseHistory, typical_units: int) -> int:
    """The fewest units the front desk may plan: the dose rule counts planned units,
    so planning low would slip a booking under the limit (docs/rules.md#pathway)."""
    return _units_per_session(history) or typical_units


def check_planned_units(
    planned_units: int, history: CourseHistory, typical_units: int, *, may_plan_fewer: bool
) -> None:
    floor = planned_units_floor(history, typical_units)
    if planned_units >= floor or may_plan_fewer:
        return
    source = (
        "the prescription's units per session"
        if history.treatment.requires_prescription and history.prescription
        else f"the typical dose for {history.treatment.name.lower()}"
    )
    raise PathwayError(
        "planned_units_too_low",
        f"Plan at least {floor} units ({source}); only a clinician can plan fewer.",
    )


def next_step(history: CourseHistory, today: date) -> tuple[str, str]:
    """The course's place on the pathway, as a code and in words for the front desk."""
    visits = [v for v in history.course_visits if v.live]
    treatment = history.treatment
    exams = [v for v in visits if v.kind == EXAM]
    injections = sorted((v for v in visits if v.kind == INJECTION), key=lambda v: v.start_at)
    upcoming = [v for v in injections if not v.done]
    if upcoming:
        return "injection_booked", f"Injection booked for {_day(upcoming[0].on)}"
    if not exams:
        return (
            "needs_exam",
            "Needs an exam" if treatment.requires_prescription else "Needs a consultation",
        )
    if treatment.requires_prescription:
        if not any(v.done and v.diagnosis.strip() for v in exams):
            return "exam_booked", "Exam booked; diagnosis pending"
        rx = history.prescription
        if rx is None:
            booked = any(v.kind == PRESCRIPTION for v in visits)
            if booked:
                return "prescription_booked", "Prescription appointment booked"
            return "needs_prescription", "Needs prescription"
        if rx.valid_until < today:
            return "prescription_expired", f"Prescription expired {_day(rx.valid_until)}"
        if rx.sessions_left <= 0:
            return "no_sessions_left", "Prescription used up; needs a new one"
    elif not any(v.done for v in exams) and not injections:
        return "exam_booked", "Consultation booked"
    given = [v for v in injections if v.done]
    if given:
        allowed = given[-1].on + timedelta(days=treatment.min_reinjection_days)
        if allowed > today:
            return "waiting_interval", f"Next injection allowed from {_day(allowed)}"
    return "ready_for_injection", "Ready to book injection"
