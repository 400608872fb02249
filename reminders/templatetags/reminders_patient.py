"""``{% patient_follow_ups patient as panel %}``: reminders' part of the patient page.

A template tag rather than a call from bookings' view, so bookings never imports
reminders; the panel's markup is reminders/_patient_follow_ups.html, named in the
setting PATIENT_PAGE_PANELS.
"""

from typing import Any

from django import template

from bookings import roles
from bookings.models import Patient
from reminders.patient_panel import PatientPanel, get_patient_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def patient_follow_ups(context: template.Context, patient: Patient) -> PatientPanel:
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    return get_patient_panel(
        patient=patient,
        # A refused dismissal comes back with its form (and what was typed) in the context.
        dismiss_form=context.get("dismiss_form"),
        dismiss_recall_id=context.get("dismiss_recall_id"),
        may_dismiss=user is not None and roles.can_book(user),
    )
