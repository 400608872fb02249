"""What an injection record names: the lot, the opened vial and the units at each site.

The checks that need no database are pure functions; ``settle_injection`` writes the
record and moves the vial's drawn units in the caller's transaction, so the outcome,
the stock and the audit change together or not at all
(docs/rules.md#lots-and-the-injection-record).
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Sum

from bookings.errors import FieldRefused, PathwayError
from bookings.models import Appointment, Status
from scheduler import clock
from scheduler.bounds import spoken_date
from scheduler.models import InjectionSite, Lot, OpenedVial

SiteUnits = list[dict[str, Any]]


def sites_problem(
    *, sites: Sequence[Mapping[str, Any]], units: int, template: Sequence[str]
) -> str | None:
    """Why the site units cannot be recorded as given, or None when they can."""
    seen: set[str] = set()
    for row in sites:
        code = str(row.get("site", ""))
        if code not in template:
            return f"“{code}” is not a site of this treatment's template; choose from its list."
        if code in seen:
            return f"The site “{code}” is listed twice; give its units once."
        seen.add(code)
        if int(row.get("units", 0)) < 1:
            return "Give each site at least 1 unit, or leave the site out."
    total = sum(int(row["units"]) for row in sites)
    if sites and total != units:
        return f"The sites add up to {total} units, not the {units} units given."
    return None


def lot_expired(*, expires_on: date, on: date) -> bool:
    """A lot may be used through its expiry date, judged on the clinic's calendar."""
    return on > expires_on


def vial_past_use_by(*, use_by_at: datetime, at: datetime) -> bool:
    return at >= use_by_at


Row = TypeVar("Row", Lot, OpenedVial)


def _locked_row(
    model: type[Row], value: Any, *, field: str, not_a_number: str, missing: str
) -> Row:
    """The row ``value`` names, locked until the outcome is saved, or the field's refusal."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise FieldRefused(field, not_a_number) from None
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise FieldRefused(field, missing)
    return row


def _lot(value: Any) -> Lot:
    if value in (None, ""):
        raise FieldRefused("lot", "Choose the lot the product came from.")
    return _locked_row(
        Lot,
        value,
        field="lot",
        not_a_number="Choose the lot from the lots list (its number there).",
        missing="No such lot is on record; choose one from the lots list.",
    )


def _vial(value: Any, lot: Lot) -> OpenedVial | None:
    if value in (None, ""):
        return None
    vial = _locked_row(
        OpenedVial,
        value,
        field="vial",
        not_a_number="Choose the vial from the lot's open vials.",
        missing="No such opened vial is on record.",
    )
    if vial.lot_id != lot.pk:
        raise FieldRefused("vial", f"That vial is from another lot, not lot {lot.lot_number}.")
    vial.lot = lot
    return vial


def _check_dates(appointment: Appointment, lot: Lot, vial: OpenedVial | None) -> None:
    on = clock.local_date(appointment.start_at)
    if lot_expired(expires_on=lot.expires_on, on=on):
        raise PathwayError(
            "product_expired",
            f"Lot {lot.lot_number} expired on {spoken_date(lot.expires_on)}, before this "
            f"injection on {spoken_date(on)}; choose another lot.",
        )
    if vial is None:
        return
    if vial_past_use_by(use_by_at=vial.use_by_at, at=appointment.start_at):
        used_by = clock.local(vial.use_by_at)
        raise PathwayError(
            "product_expired",
            f"That vial was to be used by {used_by:%H:%M} on {spoken_date(used_by.date())}, "
            "before this injection; choose a vial opened later.",
        )
    # A clinic running late opens a vial after the booked end, so only a later day is
    # surely the wrong vial.
    if clock.local_date(vial.opened_at) > on:
        raise FieldRefused("vial", "That vial was opened after the day of this injection.")
    if vial.closed_at is not None and vial.closed_at <= appointment.start_at:
        raise FieldRefused("vial", "That vial was closed before this injection.")


def units_given_from(lot: Lot, *, excluding: int | None = None) -> int:
    """Units recorded as given from the lot (every completed injection naming it)."""
    rows = Appointment.objects.filter(product_lot=lot, status=Status.COMPLETED)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return int(rows.aggregate(total=Sum("units_given"))["total"] or 0)


def units_discarded_from(lot: Lot) -> int:
    return int(lot.vials.aggregate(total=Sum("discarded_units"))["total"] or 0)


def _check_stock(appointment: Appointment, lot: Lot, vial: OpenedVial | None, units: int) -> None:
    left = (
        lot.units_received
        - units_given_from(lot, excluding=appointment.pk)
        - units_discarded_from(lot)
    )
    if units > left:
        raise FieldRefused(
            "units",
            f"Lot {lot.lot_number} has {max(left, 0)} units left on record, fewer than the "
            f"{units} given; check the lot chosen, or have its vials received corrected.",
        )
    if vial is not None and units > vial.units_left:
        raise FieldRefused(
            "units",
            f"That vial has {vial.units_left} units left, fewer than the {units} given; "
            "record it without a vial if more than one vial was used.",
        )


def _sites(appointment: Appointment, value: Any, units: int) -> SiteUnits:
    sites: SiteUnits = [
        {"site": str(row.get("site", "")), "units": int(row.get("units", 0))}
        for row in (value or [])
    ]
    template = list(
        InjectionSite.objects.filter(
            treatment_type_id=appointment.course.treatment_type_id
        ).values_list("code", flat=True)
    )
    problem = sites_problem(sites=sites, units=units, template=template)
    if problem:
        raise FieldRefused("sites", problem)
    return sites


def settle_injection(
    *,
    appointment: Appointment,
    lot: Any,
    vial: Any,
    sites: Any,
    units: int,
    drawn_before: tuple[OpenedVial | None, int] = (None, 0),
) -> None:
    """Check the lot, vial and sites, write them on the appointment and move the vial's units.

    ``drawn_before`` is what an earlier record drew (the vial and units), given back first
    when a record is amended. The appointment is saved by the caller.
    """
    the_lot = _lot(lot)
    the_vial = _vial(vial, the_lot)
    site_units = _sites(appointment, sites, units)
    _check_dates(appointment, the_lot, the_vial)
    old_vial, old_units = drawn_before
    if old_vial is not None:
        old_vial = OpenedVial.objects.select_for_update().get(pk=old_vial.pk)
        old_vial.units_drawn = max(old_vial.units_drawn - old_units, 0)
        old_vial.save(update_fields=["units_drawn"])
        if the_vial is not None and the_vial.pk == old_vial.pk:
            the_vial.units_drawn = old_vial.units_drawn
    _check_stock(appointment, the_lot, the_vial, units)
    if the_vial is not None:
        the_vial.units_drawn += units
        the_vial.save(update_fields=["units_drawn"])
    appointment.product_lot = the_lot
    appointment.product = the_lot.product
    appointment.lot = the_lot.lot_number
    appointment.vial = the_vial
    appointment.site_units = site_units
    appointment.units_given = units
