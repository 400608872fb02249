"""The patient page's waitlist card: the live entries with their offers, Remove, and the
form that adds one (prefilled from the booking page's "Nothing suitable?").

Bookings' patient page includes ``reminders/_patient_waitlist.html`` (named in the
setting PATIENT_PAGE_PANELS); the card's data comes through the ``patient_waitlist``
template tag, in two queries whatever the list holds (the entries, their offers).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
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
from reminders.offers.models import OfferStatus, WaitlistOffer
from reminders.waitlist_pages.forms import WaitlistForm, default_window, show_refusal
from scheduler import clock
from scheduler.models import Practitioner
from scheduler.time_format import clock_time as format_clock

PREFIX = "waitlist"


@dataclass(frozen=True)
class OfferLine:
    start_at: datetime
    practitioner: Practitioner
    words: str


@dataclass
class EntryRow:
    entry: WaitlistEntry
    step: str
    offers: list[OfferLine] = field(default_factory=list)


OFFER_WORDS = {
    OfferStatus.ACCEPTED: "accepted",
    OfferStatus.TAKEN: "taken by someone else first",
    OfferStatus.LAPSED: "no answer in time",
}


def offer_words(offer: WaitlistOffer) -> str:
    if offer.status == OfferStatus.OFFERED:
        held = format_clock(clock.local(offer.hold_until), clock=settings.CLINIC_CLOCK)
        return f"texted, held for them until {held}"
    return OFFER_WORDS.get(OfferStatus(offer.status), str(offer.get_status_display()))


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
    entries = list(
        list_entries(patient_id=patient.pk)
        .filter(status__in=LIVE_WAITLIST)
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=WaitlistOffer.objects.select_related("freed_time__practitioner"),
            )
        )
    )
    asked = prefill(query)
    form = bound or WaitlistForm(prefix=PREFIX, initial={**default_window(clock.today()), **asked})
    return WaitlistCard(
        rows=[
            EntryRow(
                e,
                kind_label(e.kind, e.treatment_type),
                [
                    OfferLine(o.freed_time.start_at, o.freed_time.practitioner, offer_words(o))
                    for o in e.offers.all()
                ],
            )
            for e in entries
        ],
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
            return redirect("bookings:patient", patient.pk)
    return patient_page(request, patient, extra={"waitlist_form": form}, status=400)


@require_POST
@require(roles.can_book)
def waitlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitlistEntry.objects.select_related("patient"), pk=pk)
    remove_entry(entry=entry, by=request.user)
    messages.success(request, f"{entry.patient.full_name} is off the waitlist for that step.")
    return redirect("bookings:patient", entry.patient_id)
