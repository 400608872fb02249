"""Finding, registering and showing patients."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode

from bookings import actions, patients, roles, selectors
from bookings.duplicates import list_possible_duplicates
from bookings.forms import NoteForm, PatientEditForm, PatientRegisterForm
from bookings.models import Patient, Status
from bookings.next_step import get_next_booking, is_review_pending
from bookings.phones import InvalidPhone, display_phone
from bookings.views import form_page, page, require
from scheduler import clock

RESULTS = 25
OPEN = (Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN)


def _results(request: HttpRequest) -> dict[str, object]:
    query = request.GET.get("q", "").strip()
    found = list(selectors.search_patients(query)[: RESULTS + 1]) if query else []
    for patient in found:
        patient.phone_display = display_phone(patient.phone)  # type: ignore[attr-defined]
    return {
        "query": query,
        "patients": found[:RESULTS],
        "more": len(found) > RESULTS,
        # The booking flow reuses the search to pick its patient, keeping a time chosen
        # on the week view (checked again by the booking page).
        "pick_for_booking": request.GET.get("for") == "booking",
        "booking_query": urlencode({k: request.GET[k] for k in ("with", "at") if k in request.GET})
        if request.GET.get("for") == "booking"
        else "",
    }


# Patients this signed-in user opened lately, newest first: the caller on the phone is
# often the patient whose page was open a minute ago. Only ids, kept in the session.
RECENT_KEY = "recent_patients"
RECENT = 8


def _remember(request: HttpRequest, patient_id: int) -> None:
    recent = [pk for pk in request.session.get(RECENT_KEY, []) if pk != patient_id]
    request.session[RECENT_KEY] = [patient_id, *recent][:RECENT]


def _recent(request: HttpRequest) -> list[Patient]:
    ids = [pk for pk in request.session.get(RECENT_KEY, []) if isinstance(pk, int)]
    found = Patient.objects.in_bulk(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


@require(roles.can_read)
def patient_search(request: HttpRequest) -> HttpResponse:
    context = _results(request)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "bookings/_patient_results.html", context)
    if not context["query"]:
        context["recent"] = _recent(request)
    return page(request, "bookings/patient_search.html", context)


@require(roles.can_book)
def patient_register(request: HttpRequest) -> HttpResponse:
    form = PatientRegisterForm(
        request.POST or None, initial={"last_name": request.GET.get("q", "")}
    )
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        different = fields.pop("different_person")
        duplicates = list_possible_duplicates(
            first_name=fields["first_name"],
            last_name=fields["last_name"],
            date_of_birth=fields["date_of_birth"],
            phone=fields["phone"],
        )
        if not duplicates or different:
            patient = patients.register_patient(by=request.user, **fields)
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("bookings:patient", patient.pk)
        # Nothing is written; the form comes back as typed, with the look-alikes.
        form.add_error(
            "different_person",
            "This may be a patient already registered (below). Open their page instead, "
            "or tick this if it is someone else.",
        )
        for patient in duplicates:
            patient.phone_display = display_phone(patient.phone)  # type: ignore[attr-defined]
    return form_page(request, "bookings/patient_form.html", form, duplicates=duplicates)


@require(roles.can_book)
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = PatientEditForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            patients.update_patient(patient=patient, by=request.user, **form.cleaned_data)
        except InvalidPhone as exc:
            form.add_error("phone", str(exc))
        else:
            messages.success(request, f"{patient.full_name}’s details are saved.")
            return redirect("bookings:patient", patient.pk)
    return form_page(request, "bookings/patient_edit.html", form, patient=patient)


@require(roles.can_read)
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    _remember(request, patient.pk)
    return patient_page(request, patient)


def patient_page(
    request: HttpRequest,
    patient: Patient,
    *,
    extra: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The patient page; ``extra`` lets an action refused elsewhere show its form again."""
    courses = list(patient.courses.select_related("treatment_type"))
    steps, prescriptions = selectors.get_course_overviews(courses)
    now = clock.now()
    appointments = list(
        patient.appointments.select_related("practitioner", "course__treatment_type").order_by(
            "-start_at", "-pk"
        )
    )
    upcoming = [a for a in reversed(appointments) if a.end_at >= now and a.status in OPEN]
    upcoming_ids = {a.pk for a in upcoming}
    return page(
        request,
        "bookings/patient_detail.html",
        {
            "patient": patient,
            # Other apps' parts of the page, named in settings so bookings never imports them.
            "patient_panels": settings.PATIENT_PAGE_PANELS,
            "phone_display": display_phone(patient.phone),
            "courses": [
                {
                    "course": c,
                    "step_code": steps[c.pk][0],
                    "step": steps[c.pk][1],
                    "prescription": prescriptions.get(c.pk),
                    "next": get_next_booking(
                        patient_id=patient.pk,
                        treatment=c.treatment_type,
                        step_code=steps[c.pk][0],
                        review_pending=is_review_pending(
                            treatment=c.treatment_type,
                            appointments=[a for a in appointments if a.course_id == c.pk],
                        ),
                    ),
                }
                for c in courses
            ],
            "upcoming": [
                {
                    "a": a,
                    "may_move": actions.allows(actions.MOVE, a, now),
                    "may_cancel": actions.allows(Status.CANCELLED, a, now),
                }
                for a in upcoming
            ],
            "past": [a for a in appointments if a.pk not in upcoming_ids],
            "notes": list(
                patient.notes.select_related("by", "appointment__course__treatment_type")
            ),
            "note_form": NoteForm(),
            **(extra or {}),
        },
        status=status,
    )
