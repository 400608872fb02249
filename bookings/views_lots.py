"""The lots page (stock, warnings, opened vials) and a lot's recall list with its CSV.

For clinicians and managers (docs/rules.md#lots-and-the-injection-record). A refused form
comes back with its words by the field and what was typed kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings.errors import FieldRefused, PathwayError
from bookings.forms import PRODUCTS
from bookings.forms_lots import LotForm, OpenVialForm
from bookings.lots import can_manage_lots, close_vial, open_vial, receive_lot
from bookings.lots_read import EXPIRY_WARNING_DAYS, list_lot_lines, list_lot_patients
from bookings.views import page, require
from scheduler import clock
from scheduler.csv_export import csv_response
from scheduler.models import Lot, OpenedVial


def _lots_page(
    request: HttpRequest,
    *,
    lot_form: LotForm | None = None,
    vial_forms: dict[int, OpenVialForm] | None = None,
    error: PathwayError | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list_lot_lines()
    vials = (
        OpenedVial.objects.filter(closed_at__isnull=True)
        .select_related("lot")
        .order_by("opened_at")
    )
    open_by_lot: dict[int, list[OpenedVial]] = {}
    for vial in vials:
        open_by_lot.setdefault(vial.lot_id, []).append(vial)
    forms = vial_forms or {}
    rows = [
        {
            "line": line,
            "vials": open_by_lot.get(line.lot.pk, []),
            "vial_form": forms.get(line.lot.pk) or OpenVialForm(prefix=f"lot{line.lot.pk}"),
        }
        for line in lines
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "lot_form": lot_form or LotForm(),
        "products": PRODUCTS,
        "warning_days": EXPIRY_WARNING_DAYS,
        "now": clock.now(),
        "error": error,
    }
    return page(request, "bookings/lots.html", context, status=status)


@require(can_manage_lots)
def lot_list(request: HttpRequest) -> HttpResponse:
    return _lots_page(request)


@require_POST
@require(can_manage_lots)
def lot_add(request: HttpRequest) -> HttpResponse:
    form = LotForm(request.POST)
    if form.is_valid():
        try:
            lot = receive_lot(by=request.user, **form.cleaned_data)
        except FieldRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Lot {lot.lot_number} of {lot.product} added.")
            return redirect("bookings:lots")
    return _lots_page(request, lot_form=form, status=400)


@require_POST
@require(can_manage_lots)
def vial_open(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk)
    form = OpenVialForm(request.POST, prefix=f"lot{lot.pk}")
    error: PathwayError | None = None
    if form.is_valid():
        try:
            vial = open_vial(lot=lot, diluent_ml=form.cleaned_data["diluent_ml"], by=request.user)
        except FieldRefused as exc:
            form.add_error("diluent_ml", exc.message)
        except PathwayError as exc:
            error = exc
        else:
            messages.success(
                request,
                f"Vial of lot {lot.lot_number} opened: {vial.units_per_tenth_ml:g} units per "
                f"0.1 mL, use by {clock.local(vial.use_by_at):%H:%M on %d %b}.",
            )
            return redirect("bookings:lots")
    return _lots_page(request, vial_forms={lot.pk: form}, error=error, status=400)


@require_POST
@require(can_manage_lots)
def vial_close(request: HttpRequest, pk: int) -> HttpResponse:
    vial = get_object_or_404(OpenedVial, pk=pk)
    try:
        vial = close_vial(vial=vial, by=request.user)
    except PathwayError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Vial closed: {vial.discarded_units} units of lot {vial.lot.lot_number} discarded.",
        )
    return redirect("bookings:lots")


@require(can_manage_lots)
def lot_recall(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot, pk=pk)
    # Plain values per row: a recall runs to thousands of rows, and a {% url %} and a
    # date filter per row were most of the page's time (docs/performance.md).
    patients = reverse("bookings:patients")
    injections = [
        {
            "name": f"{a.patient.first_name} {a.patient.last_name}",
            "phone": a.patient.phone,
            "patient_url": f"{patients}{a.patient_id}/",
            "on": f"{clock.local_date(a.start_at):%d %b %Y}",
            "units": a.units_given,
            "practitioner": a.practitioner.name,
        }
        for a in list_lot_patients(lot=lot)
    ]
    return page(request, "bookings/lot_recall.html", {"lot": lot, "injections": injections})


@login_required
def lot_recall_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    # Not @require: that decorator is typed for plain responses, and this one streams.
    if not can_manage_lots(request.user):
        raise PermissionDenied
    lot = get_object_or_404(Lot, pk=pk)
    rows = (
        (
            a.patient.full_name,
            a.patient.phone,
            f"{clock.local_date(a.start_at):%Y-%m-%d}",
            a.units_given or 0,
            a.practitioner.name,
        )
        # iterator(): a large recall streams rather than sitting in memory.
        for a in list_lot_patients(lot=lot).iterator(chunk_size=2000)
    )
    return csv_response(
        name=f"recall-lot-{lot.pk}",
        header=("Patient", "Phone", "Date", "Units", "Practitioner"),
        rows=rows,
    )
