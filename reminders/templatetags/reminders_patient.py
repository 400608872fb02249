"""``{% patient_follow_ups patient as panel %}`` and ``{% patient_waitlist patient as card %}``:
reminders' parts of the patient page.

A template tag rather than a call from bookings' view, so bookings never imports
reminders; the panel's markup is reminders/_patient_follow_ups.html, named in the
setting PATIENT_PAGE_PANELS.
"""

from typing import Any

from django import template

from bookings import roles
from bookings.models import Patient
from reminders.patient_panel import PatientPanel, get_patient_panel
from reminders.waitlist_pages.patient import WaitlistCard, get_waitlist_card

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


@register.simple_tag(takes_context=True)
def patient_waitlist(context: template.Context, patient: Patient) -> WaitlistCard:
    request: Any = context.get("request")
    return get_waitlist_card(
        patient=patient,
        # A refused entry comes back bound, so what was typed is kept.
        bound=context.get("waitlist_form"),
        query=request.GET,
    )
