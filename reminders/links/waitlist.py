"""A recall link's "Put me on the waitlist": the patient chooses the dates and parts of
the day; the step is the link's own (docs/rules.md#waitlist).

The entry is added by bookings' waitlist service, the same one the front desk and the
API use, so the same refusals come back in the same words, shown by the form.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from bookings.errors import PathwayError
from bookings.waitlist.entries import add_entry
from reminders.links import offer
from reminders.links.views import _open, _page, _verified
from reminders.models import LinkPurpose
from reminders.waitlist_pages.forms import WindowForm, default_window, show_refusal
from scheduler import clock

# The service's words are for staff where they name "the patient"; said to them instead.
PATIENT_WORDS = {
    "already_on_waitlist": "You are already on the waitlist for this visit. "
    "We will text you when a time frees up.",
}


def _to_patient(exc: PathwayError) -> PathwayError:
    words = PATIENT_WORDS.get(exc.code)
    return PathwayError(exc.code, words) if words else exc


@require_http_methods(["GET", "POST"])
def waitlist_page(request: HttpRequest, token: str) -> HttpResponse:
    link = _open(request, token)
    if isinstance(link, HttpResponse):
        return link
    if not _verified(request, link):
        return redirect("links:page", token=token)
    what = offer.get_offer(link=link)
    if link.purpose != LinkPurpose.RECALL or not what.can_book:
        return redirect("links:page", token=token)
    if request.method == "GET":
        first = max(clock.today(), what.first_day)
        form = WindowForm(initial=default_window(first))
        return _page(request, "waitlist.html", {"token": token, "form": form, "offer": what})
    form = WindowForm(request.POST)
    if form.is_valid():
        try:
            add_entry(
                patient=link.patient,
                treatment=what.treatment,
                kind=what.kind,
                by=None,
                **form.cleaned_data,
            )
        except PathwayError as exc:
            show_refusal(form, _to_patient(exc))
        else:
            return _page(request, "waitlisted.html", {"token": token, "form": form})
    context = {"token": token, "form": form, "offer": what}
    return _page(request, "waitlist.html", context, status=400)
