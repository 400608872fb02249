"""The week view: one practitioner's week, free times to click, the current-time line; and
booking at a clicked time with only the kinds that practitioner does."""

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Appointment
from tests.clock import TZ, frozen_at, in_march
from tests.factories import PatientFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def week_url(practitioner, day="2026-03-04"):
    return f"/calendar/week/?practitioner={practitioner.pk}&date={day}"


def book_at_url(practitioner, start, **extra):
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return f"/book/?with={practitioner.pk}&at={quote(start.isoformat())}" + (
        f"&{query}" if query else ""
    )


def test_the_week_shows_each_working_day_its_appointments_and_free_times(
    client_for, patient, doctor, book, frozen
):
    booked = book(patient, "exam", in_march(3, 10))
    html = client_for("front_desk").get(week_url(doctor)).content.decode()
    assert "Dr. Amelia Hart: 2 Mar – 8 Mar 2026" in html
    for day in ("Mon 2 Mar", "Tue 3 Mar", "Fri 6 Mar"):
        assert day in html
    assert "Sat 7 Mar" not in html  # nobody works the weekend, nothing booked then
    assert f"/appointments/{booked.pk}/" in html
    free = 'aria-label="Book {} on Tuesday 3 March with Dr. Amelia Hart"'
    assert free.format("09:45") in html and free.format("10:30") in html
    assert free.format("10:00") not in html and free.format("10:15") not in html


def test_past_times_are_not_offered(client_for, doctor):
    with frozen_at(datetime(2026, 3, 3, 11, 5, tzinfo=TZ)):
        html = client_for("front_desk").get(week_url(doctor)).content.decode()
    assert 'aria-label="Book 11:00 on Tuesday 3 March' not in html
    assert 'aria-label="Book 11:15 on Tuesday 3 March' in html
    assert 'aria-label="Book 16:45 on Monday 2 March' not in html


def test_the_current_time_line_is_drawn_on_today_in_both_views(client_for, doctor):
    with frozen_at(datetime(2026, 3, 3, 10, 30, tzinfo=TZ)):
        client = client_for("front_desk")
        week = client.get(week_url(doctor)).content.decode()
        day = client.get("/calendar/?date=2026-03-03").content.decode()
        other_day = client.get("/calendar/?date=2026-03-04").content.decode()
    line = 'class="now-line" style="--top: 90;'
    assert week.count(line) == 1
    assert line in day
    assert "now-line" not in other_day


def test_managers_see_the_week_but_nothing_to_book(client_for, doctor, frozen):
    html = client_for("manager").get(week_url(doctor)).content.decode()
    assert "Dr. Amelia Hart" in html
    assert 'class="free"' not in html


def test_an_unknown_practitioner_or_date_falls_back_politely(client_for, doctor, frozen):
    client = client_for("front_desk")
    for url in (
        "/calendar/week/?practitioner=99999",
        "/calendar/week/?practitioner=abc&date=2026-13-40",
        "/calendar/week/?practitioner=" + "9" * 5000,
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Dr. Amelia Hart" in response.content.decode()


def test_the_week_costs_the_same_queries_for_a_quiet_or_a_full_week(
    client_for, patient, doctor, book, frozen
):
    client = client_for("front_desk")
    client.get(week_url(doctor))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(week_url(doctor)).status_code == 200
        return len(captured)

    quiet = count()
    for day in range(2, 7):
        for slot in range(6):
            book(
                PatientFactory(alerts="Latex"),
                "exam",
                in_march(day, 9) + timedelta(minutes=30 * slot),
            )
    assert count() == quiet


def test_a_clicked_time_books_there_after_the_patient_and_treatment(
    client_for, patient, doctor, frozen
):
    client = client_for("front_desk")
    start = in_march(3, 14, 15)
    first = client.get(book_at_url(doctor, start)).content.decode()
    assert "At Tuesday 3 March, 14:15 with Dr. Amelia Hart." in first
    # The patient search carries the time to the next step.
    found = client.get(
        f"/patients/?q=lopez&for=booking&with={doctor.pk}&at={quote(start.isoformat())}",
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"?patient={patient.pk}&amp;with={doctor.pk}&amp;at=" in found
    kinds = client.get(
        book_at_url(doctor, start, patient=patient.pk, treatment="frown-lines")
    ).content.decode()
    assert "At Tuesday 3 March, 14:15" in kinds
    response = client.get(
        book_at_url(doctor, start, patient=patient.pk, treatment="frown-lines", kind="exam")
    )
    assert response.status_code == 302
    assert response.url.startswith("/book/confirm/?")
    confirm = client.get(response.url).content.decode()
    assert "Tuesday 3 March 2026, 14:15–14:45" in confirm and "Dr. Amelia Hart" in confirm
    booked = client.post(
        "/book/confirm/",
        {
            "patient": patient.pk,
            "treatment": "frown-lines",
            "kind": "exam",
            "practitioner": doctor.pk,
            "start": start.isoformat(),
        },
    )
    assert booked.status_code == 302
    assert Appointment.objects.get().start_at == start


def test_only_the_kinds_the_clicked_practitioner_does_are_offered(client_for, patient, frozen):
    assessor = PractitionerFactory(name="Dr. Exams Only", can_inject=False, can_prescribe=False)
    html = (
        client_for("front_desk")
        .get(book_at_url(assessor, in_march(3, 9), patient=patient.pk, treatment="migraine"))
        .content.decode()
    )
    assert 'data-kind="exam"' in html
    assert "kind=exam&amp;with=" in html
    # A prescription is refused by the pathway first; a review is refused by the kind.
    assert "kind=prescription" not in html and "kind=injection" not in html
    # Asking for a kind the practitioner does not do stays on the page.
    response = client_for("front_desk").get(
        book_at_url(
            assessor, in_march(3, 9), patient=patient.pk, treatment="frown-lines", kind="injection"
        )
    )
    assert response.status_code == 200


def test_treatments_the_practitioner_does_not_take_are_not_offered(client_for, patient, frozen):
    dentist = PractitionerFactory(name="Dr. Tooth", treatment_types=["bruxism", "tmj"])
    html = (
        client_for("front_desk")
        .get(book_at_url(dentist, in_march(3, 9), patient=patient.pk))
        .content.decode()
    )
    assert "Teeth grinding (bruxism)" in html
    assert "Migraines and headaches" not in html


@pytest.mark.parametrize(
    "raw", ["tomorrow", "2026-03-03T09:07", "2026-03-08T02:30", "2031-01-01T09:00"]
)
def test_a_clicked_time_that_cannot_be_booked_is_said_in_words(
    client_for, patient, doctor, frozen, raw
):
    response = client_for("front_desk").get(
        f"/book/?with={doctor.pk}&at={quote(raw)}&patient={patient.pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "That time cannot be booked" in html
    assert 'id="booking-at"' not in html


def test_an_unknown_practitioner_in_a_clicked_time_is_said_in_words(client_for, patient, frozen):
    response = client_for("front_desk").get(
        book_at_url(type("P", (), {"pk": 99999})(), in_march(3, 9))
    )
    assert response.status_code == 200
    assert "That practitioner is not in the calendar" in response.content.decode()


def test_a_clinician_in_the_calendar_sees_their_own_week_first(client_for, users, doctor, frozen):
    PractitionerFactory(name="Dr. Aaron First")
    PractitionerFactory(name="Dr. Own Week", user=users["clinician"])
    day = client_for("clinician").get("/calendar/?date=2026-03-04").content.decode()
    assert 'href="/calendar/week/?date=2026-03-04">Week view</a>' in day
    html = client_for("clinician").get("/calendar/week/").content.decode()
    assert "Dr. Own Week: 2 Mar – 8 Mar 2026" in html
    desk = client_for("front_desk").get("/calendar/week/").content.decode()
    assert "Dr. Aaron First: 2 Mar – 8 Mar 2026" in desk
