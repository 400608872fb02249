"""Adding staff notes to a patient or to an appointment (plain POST, then back)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings import notes, roles
from bookings.forms import NoteForm
from bookings.models import Appointment, Patient
from bookings.views import back_to, page, require
from bookings.views_appointments import _context as appointment_context
from bookings.views_patients import patient_page


@require(roles.can_book)
@require_POST
def patient_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        notes.add_note(patient=patient, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "Note added.")
        return back_to(request, reverse("bookings:patient", args=[pk]))
    # Refused: the patient page again, the typed note still in its box.
    return patient_page(request, patient, extra={"note_form": form}, status=400)


@require(roles.can_book)
@require_POST
def appointment_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "practitioner", "course__treatment_type"),
        pk=pk,
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        notes.add_note(
            patient=appointment.patient,
            appointment=appointment,
            text=form.cleaned_data["text"],
            by=request.user,
        )
        messages.success(request, "Note added to the appointment.")
        return back_to(request, reverse("bookings:appointment", args=[pk]))
    # Refused: the appointment's page, the typed note still in its box.
    context = appointment_context(request, appointment)
    return page(
        request, "bookings/appointment_detail.html", {**context, "note_form": form}, status=400
    )
