"""Amending a recorded outcome: a clinician corrects it, and the earlier values stay.

The appointment keeps only the current values; each amendment writes the values it
replaced, the new ones and the reason into the audit trail (docs/rules.md#pathway).
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction

from bookings import roles
from bookings.errors import FieldRefused, PathwayError
from bookings.injection_record import settle_injection
from bookings.models import LIVE_STATUSES, Appointment, AuditEntry, Prescription, Status
from bookings.outcomes import check_recorded_units
from bookings.roles import Actor, recorded_by
from scheduler.models import Kind

# What each kind's record holds, by the names the completion takes.
AMENDABLE: dict[str, tuple[str, ...]] = {
    Kind.EXAM: ("diagnosis", "notes"),
    Kind.PRESCRIPTION: ("units_per_session", "sessions", "valid_until"),
    Kind.INJECTION: ("units", "lot", "vial", "sites", "notes"),
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
        "units": appointment.units_given,
        # The lot and vial by id, as the completion takes them; rows from before lots
        # were kept have none (their typed lot number stays on the appointment).
        "lot": appointment.product_lot_id,
        "vial": appointment.vial_id,
        "sites": appointment.site_units,
        "notes": appointment.notes,
    }
    return {name: values[name] for name in AMENDABLE[appointment.kind]}


def _apply_injection(appointment: Appointment, after: dict[str, Any]) -> None:
    if "units" in after and after["units"] < 1:
        raise FieldRefused("units", "Units given must be at least 1.")
    record = {"lot", "vial", "sites"} & set(after)
    if appointment.product_lot_id is None and "lot" not in after:
        if record:
            raise FieldRefused(
                "lot", "Choose the lot: this record has only a lot number typed before lots."
            )
    elif record or "units" in after:
        lot_changes = "lot" in after and after["lot"] != appointment.product_lot_id
        settle_injection(
            appointment=appointment,
            lot=after.get("lot", appointment.product_lot_id),
            vial=after.get("vial", None if lot_changes else appointment.vial_id),
            sites=after.get("sites", appointment.site_units),
            units=after.get("units", appointment.units_given or 0),
            drawn_before=(appointment.vial, appointment.units_given or 0),
        )
    if "units" in after:
        appointment.units_given = after["units"]
    if "notes" in after:
        appointment.notes = str(after["notes"]).strip()
    appointment.save()


def _apply(appointment: Appointment, after: dict[str, Any]) -> None:
    if appointment.kind == Kind.INJECTION:
        _apply_injection(appointment, after)
        return
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
        if rx.units_per_session < 1:
            raise FieldRefused("units_per_session", "Units per session must be at least 1.")
        if rx.sessions < 1:
            raise FieldRefused("sessions", "The number of sessions must be at least 1.")
        used = rx.injections.filter(status__in=LIVE_STATUSES).count()
        if rx.sessions < used:
            raise FieldRefused(
                "sessions",
                f"{used} sessions of this prescription are already given or booked; "
                "cancel one first, or keep at least that many.",
            )
        if rx.valid_until < rx.written_on:
            raise FieldRefused(
                "valid_until", "“Valid until” cannot be before the prescription was written."
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
    by: Actor,
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
            "not_completed", "Only the record of a completed appointment can be amended."
        )
    if not reason.strip():
        raise FieldRefused("reason", "Say why the record is amended.")
    current = recorded_values(appointment)
    after = {
        name: value
        for name, value in changes.items()
        if name in current and value is not None and value != current[name]
    }
    if not after:
        raise PathwayError(
            "nothing_to_amend", "Nothing to amend: every value is the same as recorded."
        )
    before = {name: _as_json(current[name]) for name in after}
    typed_before = {"lot": appointment.lot, "product": appointment.product}
    _apply(appointment, after)
    after_json = {name: _as_json(value) for name, value in after.items()}
    if "lot" in after:
        # The trail names lots as people read them, with the row's id beside.
        typed_after = {"lot": appointment.lot, "product": appointment.product}
        for name in ("lot", "product"):
            if name == "lot" or typed_before[name] != typed_after[name]:
                before[name], after_json[name] = typed_before[name], typed_after[name]
        before["lot_id"], after_json["lot_id"] = current["lot"], appointment.product_lot_id
        if current["vial"] != appointment.vial_id:
            before["vial"], after_json["vial"] = current["vial"], appointment.vial_id
    overridden: list[str] = []
    if "units" in after:
        overridden = check_recorded_units(
            appointment=appointment,
            by=recorded_by(by),
            override_reason=override_reason,
            override_rules=override_rules,
        )
    AuditEntry.objects.create(
        appointment=appointment,
        action="amended",
        by=recorded_by(by),
        detail={
            "before": before,
            "after": after_json,
            "reason": reason.strip(),
        },
    )
    if overridden:
        AuditEntry.objects.create(
            appointment=appointment,
            action="override",
            by=recorded_by(by),
            detail={"rules": overridden, "reason": override_reason.strip(), "when": "amended"},
        )
    return appointment
