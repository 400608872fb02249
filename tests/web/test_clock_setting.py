"""One clinic setting for 12- or 24-hour times on every booking page."""

import pytest

from tests.clock import in_march

pytestmark = pytest.mark.django_db


def test_pages_use_the_24_hour_clock_by_default(client_for, patient, doctor, book, frozen):
    book(patient, "exam", in_march(2, 14, 30))
    client = client_for("front_desk")
    assert ">14:30<" in client.get("/calendar/?date=2026-03-02").content.decode()
    picker = client.get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=exam&day=2026-03-03"
    ).content.decode()
    assert ">09:30<" in picker


def test_a_12_hour_clinic_sees_am_and_pm_everywhere(
    client_for, patient, doctor, book, frozen, settings
):
    settings.CLINIC_CLOCK = "12h"
    appointment = book(patient, "exam", in_march(2, 14, 30))
    client = client_for("front_desk")
    calendar = client.get("/calendar/?date=2026-03-02").content.decode()
    assert ">2:30 PM<" in calendar and ">14:30<" not in calendar
    assert ">9:00 AM<" in calendar  # the ruler
    week = client.get(f"/calendar/week/?practitioner={doctor.pk}&date=2026-03-02").content.decode()
    assert ">2:30 PM<" in week
    picker = client.get(
        f"/book/?patient={patient.pk}&treatment=frown-lines&kind=exam&day=2026-03-03"
    ).content.decode()
    assert ">9:30 AM<" in picker and 'aria-label="9:30 AM with Dr. Amelia Hart' in picker
    panel = client.get(f"/appointments/{appointment.pk}/").content.decode()
    assert "2:30 PM–3:00 PM" in panel
    patient_page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "2:30 PM" in patient_page
    booked = client.post(
        "/book/confirm/",
        {
            "patient": patient.pk,
            "treatment": "frown-lines",
            "kind": "exam",
            "practitioner": doctor.pk,
            "start": in_march(3, 15).isoformat(),
        },
        follow=True,
    )
    assert "Tue 3 Mar at 3:00 PM" in booked.content.decode()
