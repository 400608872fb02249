"""The injection's outcome form: the lot, the opened vial and the units at each site.

The lot and vial lists offer only what could be used on the injection's date; the
service checks again, since a page can be old (docs/rules.md#lots-and-the-injection-record).
"""

from datetime import time, timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict

from bookings.form_fields import units_field
from bookings.models import Appointment
from scheduler import bounds, clock
from scheduler.models import InjectionSite, Lot, OpenedVial

SITE_PREFIX = "site-"


def lot_label(lot: Lot) -> str:
    return f"{lot.product} — lot {lot.lot_number} (expires {bounds.spoken_date(lot.expires_on)})"


def vial_label(vial: OpenedVial) -> str:
    use_by = clock.local(vial.use_by_at)
    return (
        f"Lot {vial.lot.lot_number}, opened {clock.local(vial.opened_at):%d %b %H:%M}, "
        f"use by {use_by:%d %b %H:%M} — {vial.units_per_tenth_ml:g} units per 0.1 mL, "
        f"{vial.units_left} units left"
    )


class InjectionOutcomeForm(forms.Form):
    units = units_field("Units given")
    lot = forms.TypedChoiceField(
        coerce=int,
        label="Lot",
        error_messages={
            "required": "Choose the lot the product came from.",
            "invalid_choice": "Choose a lot from the list: that one cannot be used on this date.",
        },
    )
    vial = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Opened vial (optional)",
        error_messages={"invalid_choice": "Choose a vial from the list."},
    )
    notes = forms.CharField(required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        appointment: Appointment,
        initial: dict[str, Any] | None = None,
    ) -> None:
        initial = dict(initial or {})
        for row in initial.pop("sites", None) or []:
            initial[f"{SITE_PREFIX}{row['site']}"] = row["units"]
        super().__init__(data, initial=initial)
        on = clock.local_date(appointment.start_at)
        lots = Lot.objects.filter(Q(expires_on__gte=on) | Q(pk=appointment.product_lot_id))
        self.fields["lot"].choices = [("", "Choose the lot…")] + [  # type: ignore[attr-defined]
            (lot.pk, lot_label(lot)) for lot in lots
        ]
        vials = (
            OpenedVial.objects.filter(
                lot__in=lots,
                use_by_at__gt=appointment.start_at,
                opened_at__lt=clock.at(on + timedelta(days=1), time(0)),
            )
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=appointment.start_at))
            .select_related("lot")
        )
        self.fields["vial"].choices = [("", "No vial named")] + [  # type: ignore[attr-defined]
            (vial.pk, vial_label(vial)) for vial in vials
        ]
        self.sites = list(
            InjectionSite.objects.filter(treatment_type_id=appointment.course.treatment_type_id)
        )
        for site in self.sites:
            self.fields[f"{SITE_PREFIX}{site.code}"] = units_field(
                site.name,
                required=False,
                error_messages={"min_value": "Give at least 1 unit here, or leave the site empty."},
                widget=forms.NumberInput(
                    attrs={
                        "class": "site-units",
                        "data-default": site.default_units,
                        # The visible name is the site's button beside it.
                        "aria-label": f"Units at {site.name}",
                    }
                ),
            )

    def record_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("units", "lot", "vial", "notes")]

    def site_fields(self) -> list[forms.BoundField]:
        return [self[f"{SITE_PREFIX}{site.code}"] for site in self.sites]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sites = []
        for site in self.sites:
            units = cleaned.pop(f"{SITE_PREFIX}{site.code}", None)
            if units:
                sites.append({"site": site.code, "units": units})
        cleaned["sites"] = sites
        given = cleaned.get("units")
        total = sum(row["units"] for row in sites)
        if sites and given and total != given:
            self.add_error(None, f"The sites add up to {total} units, not the {given} units given.")
        return cleaned
