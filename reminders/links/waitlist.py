"""A recall link's "Put me on the waitlist", and an appointment link's "Ask for an earlier
time": the patient chooses the dates and parts of the day; the step is the link's own
(docs/rules.md#waitlist), and an accepted offer moves the booked visit.

The entry is added by bookings' waitlist service, the same one the front desk and the
API use, so the same refusals come back in the same words, shown by the form.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from bookings.errors import PathwayError
from bookings.waitlist.entries import add_entry
from reminders.links import offer
from reminders.links.views import open_verified, render_page
from reminders.links.wording import refusal_for_patient
from reminders.models import LinkPurpose
from reminders.waitlist_pages.forms import WindowForm, default_window, show_refusal
from scheduler import clock


@require_http_methods(["GET", "POST"])
def waitlist_page(request: HttpRequest, token: str) -> HttpResponse:
    link = open_verified(request, token)
    if isinstance(link, HttpResponse):
        return link
    what = offer.get_offer(link=link)
    # A booked patient asks for an earlier time: the entry keeps the visit to move (a visit
    # no longer live or already started ended the link: open_verified answered).
    visit = offer.moving_visit(link)
    if link.purpose not in (LinkPurpose.RECALL, LinkPurpose.APPOINTMENT) or not what.can_book:
        return redirect("links:page", token=token)
    context: dict[str, object] = {"token": token, "offer": what, "visit": visit}
    if request.method == "GET":
        window = default_window(
            max(clock.today(), what.first_day),
            before=clock.local_date(visit.start_at) if visit is not None else None,
        )
        return render_page(
            request, "waitlist.html", {**context, "form": WindowForm(initial=window)}
        )
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            add_entry(
                patient=link.patient,
                treatment=what.treatment,
                kind=what.kind,
                appointment=visit,
                by=None,
                **form.cleaned_data,
            )
        except PathwayError as exc:
            show_refusal(form, PathwayError(exc.code, refusal_for_patient(exc.code, exc.message)))
        else:
            return render_page(request, "waitlisted.html", {**context, "form": form})
    return render_page(request, "waitlist.html", {**context, "form": form}, status=400)
