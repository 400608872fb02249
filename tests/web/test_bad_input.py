"""Hostile and mistyped input on the pages and Twilio's webhooks: a plain 400 (or the
page with its message), never a 500, and nothing half written.

The NUL cases matter on PostgreSQL, whose text columns refuse the byte outright; they
run on SQLite too, where the answer must be the same.
"""

from datetime import date, timedelta

import pytest
from django import forms
from rest_framework import serializers
from twilio.request_validator import RequestValidator

from bookings.models import Appointment, Patient, Prescription, Status
from reminders.models import MessageStatusEvent
from scheduler.models import Kind
from tests.clock import in_march
from tests.factories import AppointmentFactory, LotFactory, PatientFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db

AUTH_TOKEN = "fake-auth-token"
PUBLIC_BASE_URL = "https://clinic.example.org"


@pytest.fixture
def signed_webhooks(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.SMS_BACKEND = "console"


def post_signed(client, path, params):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def said_plainly(response) -> str:
    text = response.content.decode()
    assert "NUL" in text or "character" in text, text[:500]
    return text


# --- NUL bytes ------------------------------------------------------------------------

NUL_PAGES = [
    "/patients/?q=%00",
    "/patients/?q=Lo%00pez",
    "/patients/?q=%00&for=booking",
    "/calendar/?date=2026-03-02%00",
    "/calendar/?cancelled=%00",
    "/book/?patient={patient}&treatment=%00",
    "/book/?patient={patient}&treatment=mig%00raine&kind=exam",
    "/book/?patient={patient}&treatment=migraine&kind=exam&from=%00&day=%00",
    "/book/confirm/?patient={patient}&treatment=migr%00aine&kind=exam"
    "&practitioner={doctor}&start=2026-03-02T10:00",
    "/book/confirm/?patient={patient}&treatment=migraine&kind=exam"
    "&practitioner={doctor}&start=2026-03-02T10:00&planned_units=%00",
    "/follow-ups/?treatment_type=%00",
    "/follow-ups/?due_after=%00",
    "/follow-ups/overdue.csv?treatment_type=%00",
    "/inbox/?next=%00",
    "/login/?next=/%00",
    "/%00/",
    "/patients/%00/",
    "/static/%00",
]


@pytest.mark.parametrize("url", NUL_PAGES)
def test_a_nul_byte_in_a_page_address_is_answered_400_in_plain_words(
    client_for, patient, doctor, frozen, url
):
    response = client_for("manager" if "follow-ups" in url else "front_desk").get(
        url.format(patient=patient.pk, doctor=doctor.pk)
    )
    assert response.status_code == 400
    said_plainly(response)


def test_a_nul_byte_in_the_session_cookie_is_a_400_not_a_database_error(client):
    # A quoted cookie value may spell bytes in octal; Django decodes \000 to NUL.
    response = client.get("/calendar/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code == 400


def test_a_nul_byte_typed_into_a_form_is_refused_by_the_field_keeping_the_rest(client_for, frozen):
    response = client_for("front_desk").post(
        "/patients/new/",
        {"first_name": "Ma\x00ria", "last_name": "Gagné", "phone": "416 555 0123"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Null characters are not allowed" in html
    assert 'value="Gagné"' in html
    assert not Patient.objects.exists()


# A NUL inside a signed webhook's fields is stripped and the text still acts (a STOP
# must never be lost): tests/reminders/test_webhook_input.py. Only the address is refused.


def test_a_nul_byte_in_a_webhook_address_is_refused(client, signed_webhooks):
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}
    response = post_signed(client, "/webhooks/twilio/status/?m=1%00", params)
    assert response.status_code == 400
    assert not MessageStatusEvent.objects.exists()


@pytest.mark.parametrize("typed", ["²", "-1", "1.0", "99999999999999999999"])
def test_an_odd_patient_number_on_the_booking_page_starts_the_booking_again(
    client_for, frozen, typed
):
    response = client_for("front_desk").get("/book/", {"patient": typed})
    assert response.status_code in (200, 404)


# --- dates out of any sensible range ----------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1850-06-01", "2099-01-05"])
def test_the_calendar_shows_today_with_a_note_for_a_date_outside_its_range(client_for, frozen, day):
    response = client_for("front_desk").get(f"/calendar/?date={day}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "showing today" in html
    assert "Monday 2 March 2026" in html or "2 March 2026" in html


def test_the_calendar_still_shows_a_day_a_year_back_and_a_year_ahead(client_for, frozen):
    client = client_for("front_desk")
    for day in ("2025-03-03", "2027-03-01"):
        response = client.get(f"/calendar/?date={day}")
        assert response.status_code == 200
        assert "showing today" not in response.content.decode()


@pytest.mark.parametrize("first", ["9999-12-31", "9999-12-20", "2099-01-05"])
def test_the_slot_picker_never_goes_past_the_booking_horizon(
    client_for, patient, doctor, frozen, first
):
    response = client_for("front_desk").get(
        f"/book/?patient={patient.pk}&treatment=migraine&kind=exam&from={first}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Two years ahead of Monday 2 March 2026 is Thursday 2 March 2028: the last day shown.
    assert "day=2028-03-02" in html
    assert "2028-03-03" not in html
    assert "Later →" not in html


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:59", "9999-12-31T10:00-12:00", "2099-01-05T10:00", "2028-03-03T10:00"]
)
def test_a_booking_link_beyond_the_horizon_is_refused_in_plain_words(
    client_for, patient, doctor, frozen, start
):
    client = client_for("front_desk")
    query = {
        "patient": patient.pk,
        "treatment": "migraine",
        "kind": "exam",
        "practitioner": doctor.pk,
        "start": start,
    }
    shown = client.get("/book/confirm/", query)
    assert shown.status_code == 400
    assert "2 years ahead" in shown.content.decode()
    posted = client.post("/book/confirm/", query)
    assert posted.status_code == 400
    assert not Appointment.objects.exists()


def test_a_booking_on_the_last_day_of_the_horizon_is_accepted(client_for, patient, doctor, frozen):
    response = client_for("front_desk").post(
        "/book/confirm/",
        {
            "patient": patient.pk,
            "treatment": "migraine",
            "kind": "exam",
            "practitioner": doctor.pk,
            "start": "2028-03-02T10:00",  # a Thursday, two years to the day
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Appointment.objects.get().start_at == in_march(2, 10).replace(year=2028)


@pytest.mark.parametrize("start", ["9999-12-31T10:00", "2099-01-05T10:00"])
def test_moving_beyond_the_horizon_is_refused_and_the_appointment_stays(
    client_for, patient, doctor, book, frozen, start
):
    appointment = book(patient, "exam", in_march(3, 10))
    client = client_for("front_desk")
    url = f"/appointments/{appointment.pk}/move/"
    shown = client.get(url, {"practitioner": doctor.pk, "start": start})
    assert shown.status_code == 400
    assert "2 years ahead" in shown.content.decode()
    posted = client.post(url, {"practitioner": doctor.pk, "start": start})
    assert posted.status_code == 400
    appointment.refresh_from_db()
    assert appointment.start_at == in_march(3, 10)


@pytest.mark.parametrize(
    ("born", "words"),
    [
        ("0001-01-01", "1 January 1900"),
        ("1850-06-01", "1 January 1900"),
        ("2026-03-03", "future"),
        ("9999-12-31", "future"),
    ],
)
def test_a_date_of_birth_outside_1900_to_today_is_refused_by_the_field(
    client_for, frozen, born, words
):
    response = client_for("front_desk").post(
        "/patients/new/",
        {
            "first_name": "Maria",
            "last_name": "Gagné",
            "phone": "416 555 0123",
            "date_of_birth": born,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert 'value="Gagné"' in html
    assert not Patient.objects.exists()


@pytest.mark.parametrize("born", ["1900-01-01", "2026-03-02", ""])
def test_a_date_of_birth_from_1900_to_today_or_none_is_accepted(client_for, frozen, born):
    response = client_for("front_desk").post(
        "/patients/new/",
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "phone": "416 555 0123",
            "date_of_birth": born,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_editing_a_patient_refuses_a_date_of_birth_in_the_future(client_for, patient, frozen):
    response = client_for("front_desk").post(
        f"/patients/{patient.pk}/edit/",
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "phone": "416 555 0123",
            "date_of_birth": "2030-01-01",
            "sms_consent": "on",
        },
    )
    assert response.status_code == 400
    assert "future" in response.content.decode()
    patient.refresh_from_db()
    assert patient.date_of_birth == date(1980, 5, 17)  # as it was


# --- units out of range ----------------------------------------------------------------


def _prescribed(patient):
    AppointmentFactory(
        patient=patient,
        kind=Kind.EXAM,
        status=Status.COMPLETED,
        start_at=in_march(2, 9) - timedelta(days=30),
        diagnosis="Chronic migraine",
    )
    PrescriptionFactory(
        appointment__patient=patient,
        appointment__start_at=in_march(2, 9) - timedelta(days=29),
    )


@pytest.mark.parametrize("units", ["40000", "601", "32768"])
def test_planned_units_above_the_limit_are_refused_by_the_field_keeping_the_booking(
    client_for, patient, doctor, frozen, units
):
    _prescribed(patient)
    response = client_for("clinician").post(
        "/book/confirm/",
        {
            "patient": patient.pk,
            "treatment": "migraine",
            "kind": "injection",
            "practitioner": doctor.pk,
            "start": in_march(2, 10).isoformat(),
            "planned_units": units,
            "override_reason": "Specialist's instruction",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "600" in html
    assert "Maria Lopez" in html  # the summary is still there, so is the reason typed
    assert "Specialist&#x27;s instruction" in html or "Specialist's instruction" in html
    assert not Appointment.objects.filter(kind=Kind.INJECTION).exists()


def test_the_web_form_and_the_api_cap_planned_units_at_the_same_number():
    from bookings.forms import BookingForm
    from bookings.serializers import BookingSerializer

    form_field = BookingForm.base_fields["planned_units"]
    api_field = BookingSerializer().fields["planned_units"]
    assert isinstance(form_field, forms.IntegerField)
    assert isinstance(api_field, serializers.IntegerField)
    assert form_field.max_value == api_field.max_value == 600


def test_units_given_above_the_limit_are_refused_by_the_outcome_form(
    client_for, patient, doctor, frozen
):
    _prescribed(patient)
    injection = AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        kind=Kind.INJECTION,
        start_at=in_march(2, 7),
        status=Status.CHECKED_IN,
    )
    response = client_for("clinician").post(
        f"/appointments/{injection.pk}/complete/",
        {"units": "40000", "lot": str(LotFactory(lot_number="C1234").pk)},
    )
    assert response.status_code == 400
    assert "600" in response.content.decode()
    injection.refresh_from_db()
    assert injection.status == Status.CHECKED_IN and injection.units_given is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("units_per_session", "40000", "600"),
        ("sessions", "40000", "20"),
        ("valid_until", "9999-12-31", "2 March 2028"),
    ],
)
def test_a_prescription_out_of_range_is_refused_by_the_outcome_form(
    client_for, patient, doctor, frozen, field, value, words
):
    AppointmentFactory(
        patient=patient,
        kind=Kind.EXAM,
        status=Status.COMPLETED,
        start_at=in_march(2, 9) - timedelta(days=30),
        diagnosis="Chronic migraine",
    )
    visit = AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        kind=Kind.PRESCRIPTION,
        start_at=in_march(2, 7),
        status=Status.CHECKED_IN,
    )
    data = {"units_per_session": "155", "sessions": "4", "valid_until": "2027-03-01"}
    data[field] = value
    response = client_for("clinician").post(f"/appointments/{visit.pk}/complete/", data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Prescription.objects.filter(appointment=visit).exists()


def test_a_far_due_date_filter_on_the_dashboard_is_said_not_a_500(client_for, frozen):
    PatientFactory()
    response = client_for("manager").get("/follow-ups/?due_after=2026-01-01&due_before=9999-12-31")
    assert response.status_code == 200
    assert "Due to" in response.content.decode()
