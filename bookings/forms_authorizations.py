"""The patient page's funding switch and authorization forms."""

from typing import Any

from django import forms

from bookings.authorizations import MAX_SESSIONS, MAX_UNITS
from bookings.models import Authorization, Funding


class FundingForm(forms.Form):
    funding = forms.ChoiceField(choices=Funding.choices, label="Paid by")


class AuthorizationForm(forms.Form):
    """Types and required fields here; the rules (dates in order, not below what is
    used, only on an insured course) are the service's, shown by their field."""

    payer = forms.CharField(max_length=120, label="Insurer")
    number = forms.CharField(max_length=60, label="Authorization number")
    approved_sessions = forms.IntegerField(
        label="Approved sessions", min_value=1, max_value=MAX_SESSIONS
    )
    approved_units = forms.IntegerField(label="Approved units", min_value=1, max_value=MAX_UNITS)
    valid_from = forms.DateField(label="Valid from", widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label="Valid until", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, prefix_for: Authorization | None = None, **kwargs: Any) -> None:
        if prefix_for is not None:
            kwargs.setdefault("prefix", f"auth{prefix_for.pk}")
            kwargs.setdefault(
                "initial",
                {
                    "payer": prefix_for.payer,
                    "number": prefix_for.number,
                    "approved_sessions": prefix_for.approved_sessions,
                    "approved_units": prefix_for.approved_units,
                    "valid_from": prefix_for.valid_from,
                    "valid_until": prefix_for.valid_until,
                    "notes": prefix_for.notes,
                },
            )
        super().__init__(*args, **kwargs)
