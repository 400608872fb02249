"""Writing lots and opened vials (docs/rules.md#lots-and-the-injection-record).

Clinicians and managers keep the stock; the front desk only reads it.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from bookings import roles
from bookings.errors import FieldRefused, PathwayError
from bookings.roles import Actor, recorded_by
from scheduler import bounds, clock
from scheduler.models import Lot, OpenedVial

MAX_DILUENT_ML = Decimal("10.0")


def can_manage_lots(user: Actor) -> bool:
    return roles.can_record_clinical(user) or roles.can_manage(user)


def _require_lot_role(by: Actor) -> None:
    if not can_manage_lots(by):
        raise PathwayError(
            "not_allowed", "Only clinicians and managers may change the stock.", status=403
        )


@transaction.atomic
def receive_lot(
    *,
    product: str,
    lot_number: str,
    expires_on: date,
    vials_received: int,
    units_per_vial: int,
    by: Actor,
) -> Lot:
    """Record a delivered lot; the same product's lot number is kept once."""
    _require_lot_role(by)
    product, lot_number = product.strip(), lot_number.strip()
    if not product:
        raise FieldRefused("product", "Enter the product.")
    if not lot_number:
        raise FieldRefused("lot_number", "Enter the lot number printed on the box.")
    if Lot.objects.filter(product=product, lot_number=lot_number).exists():
        raise FieldRefused("lot_number", f"Lot {lot_number} of {product} is already on record.")
    if expires_on < clock.today():
        raise FieldRefused(
            "expires_on",
            f"That lot expired on {bounds.spoken_date(expires_on)}; it cannot be used.",
        )
    if vials_received < 1 or units_per_vial < 1:
        raise FieldRefused("vials_received", "A lot has at least one vial of at least 1 unit.")
    return Lot.objects.create(
        product=product,
        lot_number=lot_number,
        expires_on=expires_on,
        vials_received=vials_received,
        units_per_vial=units_per_vial,
    )


@transaction.atomic
def open_vial(*, lot: Lot, diluent_ml: Decimal, by: Actor) -> OpenedVial:
    """Reconstitute a vial now: it keeps VIAL_USE_HOURS of real time, DST or not."""
    _require_lot_role(by)
    if not Decimal("0") < diluent_ml <= MAX_DILUENT_ML:
        raise FieldRefused(
            "diluent_ml", f"Enter the diluent added, more than 0 and at most {MAX_DILUENT_ML} mL."
        )
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    opened_at = clock.now()
    if clock.local_date(opened_at) > lot.expires_on:
        raise PathwayError(
            "product_expired",
            f"Lot {lot.lot_number} expired on {bounds.spoken_date(lot.expires_on)}; "
            "open a vial of another lot.",
        )
    return OpenedVial.objects.create(
        lot=lot,
        opened_at=opened_at,
        # Elapsed hours, not wall-clock ones: aware UTC arithmetic ignores DST shifts.
        use_by_at=opened_at + timedelta(hours=settings.VIAL_USE_HOURS),
        diluent_ml=diluent_ml,
        opened_by=recorded_by(by),
    )


@transaction.atomic
def close_vial(*, vial: OpenedVial, by: Actor) -> OpenedVial:
    """Close a vial: what was not drawn is discarded, and the stock says so."""
    _require_lot_role(by)
    vial = OpenedVial.objects.select_for_update().select_related("lot").get(pk=vial.pk)
    if vial.closed_at is not None:
        raise FieldRefused("vial", "That vial is already closed.")
    vial.discarded_units = max(vial.lot.units_per_vial - vial.units_drawn, 0)
    vial.closed_at = clock.now()
    vial.save(update_fields=["discarded_units", "closed_at"])
    return vial
