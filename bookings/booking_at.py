"""Booking at a time chosen on the week view: the practitioner and start travel with the
booking page's steps, and only the kinds that practitioner is qualified for are offered.

Nothing is decided here that booking does not check again: the confirm page runs the
same service (hours, pathway, safety rules, the calendar) before anything is written.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.http import urlencode

from bookings.booking_options import KindOption
from bookings.errors import PathwayError
from bookings.start_fields import ClinicStartFormField
from bookings.start_times import check_on_grid
from bookings.wording import kind_label
from scheduler import bounds
from scheduler.models import Kind, Practitioner, TreatmentType
from scheduler.selectors import KIND_FLAG


@dataclass(frozen=True)
class ChosenTime:
    practitioner: Practitioner
    start_at: datetime

    @property
    def query(self) -> str:
        """The two parameters every step's links carry."""
        return urlencode({"with": str(self.practitioner.pk), "at": self.start_at.isoformat()})


def get_chosen_time(request: HttpRequest) -> tuple[ChosenTime | None, str]:
    """The time picked on the week view, or None; with words when the link is unusable."""
    raw_at = request.GET.get("at", "")
    if not raw_at:
        return None, ""
    field = ClinicStartFormField(validators=[bounds.validate_booking_start])
    try:
        start_at = field.clean(raw_at)
        check_on_grid(start_at, grid_minutes=settings.SLOT_GRID_MINUTES)
    except forms.ValidationError as exc:
        return None, "That time cannot be booked: " + " ".join(exc.messages)
    except PathwayError as exc:
        return None, f"That time cannot be booked: {exc.message}"
    wanted = request.GET.get("with", "")
    practitioner = (
        Practitioner.objects.filter(pk=int(wanted), active=True).first()
        if wanted.isdecimal() and len(wanted) < 12
        else None
    )
    if practitioner is None:
        return None, "That practitioner is not in the calendar; choose a time below instead."
    return ChosenTime(practitioner, start_at), ""


def treatment_ids(chosen: ChosenTime) -> set[int]:
    return set(chosen.practitioner.treatment_types.values_list("pk", flat=True))


def only_qualified(
    options: list[KindOption], *, chosen: ChosenTime, treatment: TreatmentType, ids: set[int]
) -> list[KindOption]:
    """The kinds the pathway allows, refused in words where this practitioner is not qualified."""
    p = chosen.practitioner
    result = []
    for o in options:
        if o.kind == Kind.REVIEW:
            qualified = p.can_examine or p.can_inject
        else:
            qualified = bool(getattr(p, KIND_FLAG[o.kind]))
        if o.allowed and not (qualified and treatment.pk in ids):
            label = kind_label(o.kind, treatment).lower()
            o = replace(
                o,
                allowed=False,
                reason=f"{p.name} does not do {label} appointments for {treatment.name.lower()}.",
            )
        result.append(o)
    return result
