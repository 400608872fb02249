"""The patient page's waitlist card: the live entries with their offers, Remove, and the
form that adds one (prefilled from the booking page's "Nothing suitable?").

Bookings' patient page includes ``reminders/_patient_waitlist.html`` (named in the
setting PATIENT_PAGE_PANELS); the card's data comes through the ``patient_waitlist``
template tag, in two queries whatever the list holds.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from bookings import roles
from bookings.errors import PathwayError
from bookings.models import Patient
from bookings.views import require
from bookings.views_patients import patient_page
from bookings.waitlist.entries import add_entry, remove_entry
from bookings.waitlist.models import LIVE_WAITLIST, WaitlistEntry
from bookings.waitlist.read import list_entries
from bookings.wording import kind_label
from reminders.waitlist_pages.forms import WaitlistForm, default_window, show_refusal
from scheduler import clock

PREFIX = "waitlist"


@dataclass
class EntryRow:
    entry: WaitlistEntry
    step: str
    offers: list[object] = field(default_factory=list)


@dataclass
class WaitlistCard:
    rows: list[EntryRow]
    form: WaitlistForm
    # The form starts open when it was refused or prefilled from the booking page.
    open_form: bool


def prefill(query: QueryDict) -> dict[str, object]:
    """What the booking page's link asks the form to start with (unchecked: a choice
    the form does not offer is simply not selected)."""
    initial: dict[str, object] = {
        name: query[f"{PREFIX}-{name}"]
        for name in ("treatment", "kind", "practitioner", "earliest_on", "latest_on")
        if query.get(f"{PREFIX}-{name}")
    }
    parts = query.getlist(f"{PREFIX}-parts_of_day")
    if parts:
        initial["parts_of_day"] = parts
    return initial


def get_waitlist_card(
    *, patient: Patient, bound: WaitlistForm | None, query: QueryDict
) -> WaitlistCard:
    entries = list(list_entries(patient_id=patient.pk).filter(status__in=LIVE_WAITLIST))
    asked = prefill(query)
    form = bound or WaitlistForm(prefix=PREFIX, initial={**default_window(clock.today()), **asked})
    return WaitlistCard(
        rows=[EntryRow(e, kind_label(e.kind, e.treatment_type)) for e in entries],
        form=form,
        open_form=bound is not None or bool(asked),
    )


@require_POST
@require(roles.can_book)
def waitlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = WaitlistForm(request.POST, prefix=PREFIX)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = add_entry(
                patient=patient,
                treatment=data["treatment"],
                kind=data["kind"],
                earliest_on=data["earliest_on"],
                latest_on=data["latest_on"],
                practitioner=data["practitioner"],
                parts_of_day=data["parts_of_day"],
                by=request.user,
            )
        except PathwayError as exc:
            show_refusal(form, exc)
        else:
            step = kind_label(entry.kind, entry.treatment_type)
            messages.success(
                request, f"On the waitlist: {step.lower()}, {entry.treatment_type.name}."
            )
            return redirect("patient", patient.pk)
    return patient_page(request, patient, extra={"waitlist_form": form}, status=400)


@require_POST
@require(roles.can_book)
def waitlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitlistEntry.objects.select_related("patient"), pk=pk)
    remove_entry(entry=entry, by=request.user)
    messages.success(request, f"{entry.patient.full_name} is off the waitlist for that step.")
    return redirect("patient", entry.patient_id)
