"""Amending a recorded outcome: a clinician corrects it, and the earlier values stay.

The appointment keeps only the current values; each amendment writes the values it
replaced, the new ones and the reason into the audit trail (docs/rules.md#pathway).
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction

from bookings import roles
from bookings.errors import PathwayError
from bookings.models import LIVE_STATUSES, Appointment, AuditEntry, Prescription, Status
from bookings.outcomes import check_recorded_units
from scheduler.models import Kind

# What each kind's record holds, by the names the completion takes.
AMENDABLE: dict[str, tuple[str, ...]] = {
    Kind.EXAM: ("diagnosis", "notes"),
    Kind.PRESCRIPTION: ("units_per_session", "sessions", "valid_until"),
    Kind.INJECTION: ("product", "units", "lot", "notes"),
    Kind.REVIEW: ("notes",),
}


def _as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def recorded_values(appointment: Appointment) -> dict[str, Any]:
    """The outcome as recorded now, by the names the completion takes."""
    if appointment.kind == Kind.PRESCRIPTION:
        rx = Prescription.objects.filter(appointment=appointment).first()
        if rx is None:
            return {}
        return {
            "units_per_session": rx.units_per_session,
            "sessions": rx.sessions,
            "valid_until": rx.valid_until,
        }
    values = {
        "diagnosis": appointment.diagnosis,
        "product": appointment.product,
        "units": appointment.units_given,
        "lot": appointment.lot,
        "notes": appointment.notes,
    }
    return {name: values[name] for name in AMENDABLE[appointment.kind]}


def _apply(appointment: Appointment, after: dict[str, Any]) -> None:
    for name in ("product", "lot"):
        if name in after and not str(after[name]).strip():
            raise PathwayError("invalid_transition", f"The {name} cannot be left empty.")
    if "units" in after and after["units"] < 1:
        raise PathwayError("invalid_transition", "Units given must be at least 1.")
    if (
        "diagnosis" in after
        and not str(after["diagnosis"]).strip()
        and appointment.course.treatment_type.requires_prescription
    ):
        raise PathwayError(
            "diagnosis_required",
            "The diagnosis cannot be removed: a therapeutic treatment needs one.",
        )
    if appointment.kind == Kind.PRESCRIPTION:
        rx = Prescription.objects.select_for_update().get(appointment=appointment)
        rx.units_per_session = after.get("units_per_session", rx.units_per_session)
        rx.sessions = after.get("sessions", rx.sessions)
        rx.valid_until = after.get("valid_until", rx.valid_until)
        if rx.units_per_session < 1 or rx.sessions < 1:
            raise PathwayError("invalid_transition", "Units and sessions must be at least 1.")
        used = rx.injections.filter(status__in=LIVE_STATUSES).count()
        if rx.sessions < used:
            raise PathwayError(
                "invalid_transition",
                f"{used} sessions of this prescription are already given or booked; "
                "cancel one first, or keep at least that many.",
            )
        if rx.valid_until < rx.written_on:
            raise PathwayError(
                "invalid_transition", "“Valid until” cannot be before the prescription was written."
            )
        rx.save()
        return
    fields = {"units": "units_given"}
    for name, value in after.items():
        setattr(
            appointment, fields.get(name, name), value.strip() if isinstance(value, str) else value
        )
    appointment.save()


@transaction.atomic
def amend_outcome(
    *,
    appointment: Appointment,
    by: Any,
    changes: dict[str, Any],
    reason: str,
    override_reason: str = "",
    override_rules: Collection[str] = (),
) -> Appointment:
    """Correct a completed appointment's outcome; clinicians only, always with a reason."""
    if not roles.can_record_clinical(by):
        raise PathwayError(
            "not_allowed", "Only a clinician can amend the outcome of an appointment.", status=403
        )
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("course__treatment_type", "patient")
        .get(pk=appointment.pk)
    )
    if appointment.status != Status.COMPLETED:
        raise PathwayError(
            "invalid_transition", "Only the record of a completed appointment can be amended."
        )
    if not reason.strip():
        raise PathwayError("invalid_transition", "Say why the record is amended.")
    current = recorded_values(appointment)
    after = {
        name: value
        for name, value in changes.items()
        if name in current and value is not None and value != current[name]
    }
    if not after:
        raise PathwayError(
            "invalid_transition", "Nothing to amend: every value is the same as recorded."
        )
    before = {name: _as_json(current[name]) for name in after}
    _apply(appointment, after)
    overridden: list[str] = []
    if "units" in after:
        overridden = check_recorded_units(
            appointment=appointment,
            by=by,
            override_reason=override_reason,
            override_rules=override_rules,
        )
    AuditEntry.objects.create(
        appointment=appointment,
        action="amended",
        by=by,
        detail={
            "before": before,
            "after": {name: _as_json(value) for name, value in after.items()},
            "reason": reason.strip(),
        },
    )
    if overridden:
        AuditEntry.objects.create(
            appointment=appointment,
            action="override",
            by=by,
            detail={"rules": overridden, "reason": override_reason.strip(), "when": "amended"},
        )
    return appointment
