"""The lots page's forms: a lot received, and a vial opened."""

from decimal import Decimal

from django import forms

from bookings.form_fields import units_field
from bookings.lots import MAX_DILUENT_ML
from scheduler import bounds

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LotForm(forms.Form):
    product = forms.CharField(
        max_length=80,
        label="Product",
        widget=forms.TextInput(attrs={"list": "products", "autocomplete": "off"}),
    )
    lot_number = forms.CharField(max_length=40, label="Lot number")
    expires_on = forms.DateField(
        label="Expires on", widget=DATE_INPUT, validators=[bounds.validate_query_date]
    )
    vials_received = forms.IntegerField(
        min_value=1,
        max_value=10_000,
        label="Vials received",
        error_messages={"max_value": "Enter at most 10000 vials."},
    )
    units_per_vial = units_field("Units per vial")


class OpenVialForm(forms.Form):
    diluent_ml = forms.DecimalField(
        min_value=Decimal("0.1"),
        max_value=MAX_DILUENT_ML,
        max_digits=4,
        decimal_places=1,
        label="Diluent added (mL)",
        error_messages={
            "min_value": "Enter the diluent added, at least 0.1 mL.",
            "max_value": f"Enter at most {MAX_DILUENT_ML} mL of diluent.",
            "max_decimal_places": "Enter the diluent to one decimal place, e.g. 2.5.",
        },
    )
