"""Reading lots: the stock of each, and every patient injected from one (a recall).

Stock is units received − given − discarded, where "given" is every completed injection
naming the lot and "discarded" the remainders of closed vials
(docs/rules.md#lots-and-the-injection-record).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from bookings.models import Appointment, Status
from scheduler import clock
from scheduler.models import Lot, OpenedVial

EXPIRY_WARNING_DAYS = 30
# Warn when less than this share of a lot is left, or less than one vial.
LOW_STOCK_SHARE = 0.1


def _given() -> Subquery:
    rows = (
        Appointment.objects.filter(product_lot=OuterRef("pk"), status=Status.COMPLETED)
        .order_by()
        .values("product_lot")
        .annotate(total=Sum("units_given"))
        .values("total")
    )
    return Subquery(rows, output_field=IntegerField())


def _discarded() -> Subquery:
    rows = (
        OpenedVial.objects.filter(lot=OuterRef("pk"))
        .order_by()
        .values("lot")
        .annotate(total=Sum("discarded_units"))
        .values("total")
    )
    return Subquery(rows, output_field=IntegerField())


def lots_with_stock() -> QuerySet[Lot]:
    """Every lot with ``units_given``, ``units_discarded`` and ``units_left``, in one query."""
    zero = Value(0, output_field=IntegerField())
    return Lot.objects.annotate(
        units_given=Coalesce(_given(), zero),
        units_discarded=Coalesce(_discarded(), zero),
    ).annotate(
        units_left=F("vials_received") * F("units_per_vial")
        - F("units_given")
        - F("units_discarded")
    )


@dataclass(frozen=True)
class LotLine:
    lot: Lot
    units_given: int
    units_discarded: int
    units_left: int
    expires_soon: bool
    expired: bool
    low_stock: bool


def list_lot_lines(*, today: date | None = None) -> list[LotLine]:
    day = today or clock.today()
    lines = []
    for lot in lots_with_stock().order_by("expires_on", "product", "lot_number"):
        left = int(lot.units_left)  # type: ignore[attr-defined]
        low = left < max(lot.units_per_vial, lot.units_received * LOW_STOCK_SHARE)
        lines.append(
            LotLine(
                lot=lot,
                units_given=int(lot.units_given),  # type: ignore[attr-defined]
                units_discarded=int(lot.units_discarded),  # type: ignore[attr-defined]
                units_left=left,
                expired=lot.expires_on < day,
                expires_soon=day <= lot.expires_on <= day + timedelta(days=EXPIRY_WARNING_DAYS),
                low_stock=low,
            )
        )
    return lines


def list_open_vials(*, lot: Lot) -> QuerySet[OpenedVial]:
    return lot.vials.select_related("lot").order_by("-opened_at")


def list_lot_patients(*, lot: Lot) -> QuerySet[Appointment]:
    """Every completed injection from the lot, oldest first: one query, by the recall index."""
    return (
        Appointment.objects.filter(product_lot=lot, status=Status.COMPLETED)
        .select_related("patient", "practitioner")
        .only(
            "id",
            "start_at",
            "units_given",
            "patient__id",
            "patient__first_name",
            "patient__last_name",
            "patient__phone",
            "practitioner__name",
        )
        .order_by("start_at", "id")
    )
