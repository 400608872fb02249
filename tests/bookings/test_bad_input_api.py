"""Hostile and mistyped input over the API: ``400`` in plain words, never a 500, and
nothing half written.

The NUL cases matter on PostgreSQL, whose text columns refuse the byte outright; they
run on SQLite too, where the answer must be the same.
"""

from datetime import date

import pytest

from bookings.models import Appointment, AuditEntry, Patient, Prescription, Status
from scheduler.models import Kind
from tests.bookings.support import act, book, client_for
from tests.clock import at
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    RecallFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def patient():
    return PatientFactory(first_name="Ana", last_name="Silva")


def refused_plainly(response, code: str = "nul_character") -> dict:
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["code"] == code
    assert body["detail"] and "\x00" not in body["detail"]
    return body


# --- NUL bytes in addresses and filters -----------------------------------------------

NUL_QUERIES = [
    "/api/v1/patients/?search=%00",
    "/api/v1/patients/?search=Sil%00va",
    "/api/v1/slots/?treatment_type=%00&kind=exam&from=2026-03-02&to=2026-03-06",
    "/api/v1/slots/?treatment_type=migraine&kind=ex%00am&from=2026-03-02&to=2026-03-06",
    "/api/v1/slots/?treatment_type=migraine&kind=exam&from=2026-03-02%00&to=2026-03-06",
    "/api/v1/appointments/?status=%00",
    "/api/v1/appointments/?date=%00",
    "/api/v1/appointments/?patient=1%00",
    "/api/v1/courses/?patient=%00",
    "/api/v1/recalls/?treatment_type=%00",
    "/api/v1/recalls/?status=due%00",
    "/api/v1/recalls/?due_before=%00",
    "/api/v1/messages/?status=%00",
    "/api/v1/follow-ups/summary/?treatment_type=%00",
    "/api/v1/treatment-types/%00/",
    "/api/v1/treatment-types/mig%00raine/",
    "/api/v1/practitioners/%00/",
    "/api/v1/appointments/?limit=%00",
    "/api/v1/patients/?%00=1",
    "/api/schema/?format=%00",
]


@pytest.mark.parametrize("url", NUL_QUERIES)
def test_a_nul_byte_in_an_api_address_is_a_plain_400(desk, url):
    refused_plainly(desk.get(url))


def _appointment(patient, doctor):
    return AppointmentFactory(patient=patient, practitioner=doctor, start_at=at(2026, 3, 3, 10))


NUL_BODIES = [
    (
        "post",
        "/api/v1/patients/",
        {"first_name": "A\x00na", "last_name": "S", "phone": "4165550123"},
    ),
    (
        "post",
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "S", "phone": "416\x005550123"},
    ),
    (
        "post",
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "S", "phone": "4165550123", "email": "a\x00@x.org"},
    ),
    ("post", "/api/v1/appointments/", {"treatment_type": "mig\x00raine", "kind": "exam"}),
    ("post", "/api/v1/appointments/", {"treatment_type": "migraine", "kind": "ex\x00am"}),
    (
        "post",
        "/api/v1/appointments/",
        {"treatment_type": "migraine", "kind": "exam", "override_reason": "\x00"},
    ),
    ("post", "/api/v1/auth/token/", {"username": "front\x00desk", "password": "x"}),
]


@pytest.mark.parametrize(("method", "url", "data"), NUL_BODIES)
def test_a_nul_byte_in_a_json_body_is_a_plain_400_and_nothing_is_written(
    desk, patient, doctor, method, url, data
):
    if url == "/api/v1/appointments/":
        data = {
            "patient": patient.pk,
            "practitioner": doctor.pk,
            "start": "2026-03-03T10:00",
            **data,
        }
    response = getattr(desk, method)(url, data, format="json")
    refused_plainly(response)
    assert Patient.objects.count() == 1
    assert not Appointment.objects.exists()


def test_a_nul_byte_in_a_form_encoded_body_is_a_plain_400(desk):
    response = desk.post(
        "/api/v1/patients/", {"first_name": "A\x00na", "last_name": "S", "phone": "4165550123"}
    )
    refused_plainly(response)
    assert not Patient.objects.exists()


def test_a_nul_byte_in_a_form_encoded_patch_is_a_plain_400(desk, patient):
    response = desk.patch(
        f"/api/v1/patients/{patient.pk}/",
        "last_name=Sil%00va",
        content_type="application/x-www-form-urlencoded",
    )
    refused_plainly(response)
    patient.refresh_from_db()
    assert patient.last_name == "Silva"


def test_a_nul_byte_in_a_patch_or_an_action_is_a_plain_400_and_nothing_changes(
    desk, clinician, patient, doctor
):
    appointment = _appointment(patient, doctor)
    refused_plainly(
        desk.patch(f"/api/v1/patients/{patient.pk}/", {"last_name": "S\x00"}, format="json")
    )
    refused_plainly(act(desk, appointment.pk, "cancel", reason="Patient\x00 asked"))
    refused_plainly(act(desk, appointment.pk, "move", start="2026-03-04T10:00\x00"))
    refused_plainly(act(clinician, appointment.pk, "complete", diagnosis="\x00"))
    patient.refresh_from_db()
    appointment.refresh_from_db()
    assert patient.last_name == "Silva" and appointment.status == Status.BOOKED
    assert not AuditEntry.objects.exists()


def test_a_nul_byte_in_a_recall_dismissal_is_a_plain_400(desk, patient):
    injection = AppointmentFactory(patient=patient, kind=Kind.INJECTION, status=Status.COMPLETED)
    recall = RecallFactory(
        patient=patient,
        source_appointment=injection,
        due_on=date(2026, 3, 9),
        last_injection_on=date(2025, 12, 9),
    )
    refused_plainly(desk.post(f"/api/v1/recalls/{recall.pk}/dismiss/", {"reason": "\x00"}))
    recall.refresh_from_db()
    assert recall.dismissed_reason == ""


def test_a_json_escaped_backslash_before_u0000_is_ordinary_text(desk):
    response = desk.post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Back\\u0000slash", "phone": "4165550123"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Patient.objects.get().last_name == "Back\\u0000slash"


def test_a_nul_byte_in_the_token_header_is_a_plain_400():
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.get("/api/v1/patients/", HTTP_AUTHORIZATION="Token abc\x00def")
    refused_plainly(response)


# --- dates out of any sensible range ----------------------------------------------------


@pytest.mark.parametrize(
    "start",
    ["9999-12-31T10:00:00-05:00", "9999-12-31T23:59:00", "2099-01-05T10:00", "2028-03-03T10:00"],
)
def test_a_booking_beyond_two_years_ahead_is_refused_in_plain_words(desk, patient, doctor, start):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=start,
    )
    assert response.status_code == 400, response.content[:500]
    assert "2 years ahead" in " ".join(response.json()["start"])
    assert not Appointment.objects.exists()


def test_a_booking_on_the_last_day_two_years_ahead_is_accepted(desk, patient, doctor):
    response = book(
        desk,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="exam",
        start=at(2028, 3, 2, 10),  # Thursday, two years to the day after Monday 2 March 2026
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("start", ["9999-12-31T10:00:00-05:00", "2099-01-05T10:00"])
def test_moving_beyond_two_years_ahead_is_refused_and_nothing_moves(desk, patient, doctor, start):
    appointment = _appointment(patient, doctor)
    response = act(desk, appointment.pk, "move", start=start)
    assert response.status_code == 400, response.content[:500]
    assert "2 years ahead" in " ".join(response.json()["start"])
    appointment.refresh_from_db()
    assert appointment.start_at == at(2026, 3, 3, 10)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1850-06-01"])
def test_an_appointment_date_filter_outside_the_calendar_range_is_a_plain_400(desk, day):
    response = desk.get(f"/api/v1/appointments/?date={day}")
    assert response.status_code == 400, response.content[:500]
    assert "Choose a date between" in " ".join(response.json()["date"])


@pytest.mark.parametrize(
    "query",
    [
        "from=9999-12-20&to=9999-12-31",
        "from=0001-01-01&to=0001-01-31",
        "from=9999-12-31&to=9999-12-31",
        "from=2099-01-05&to=2099-01-31",
    ],
)
def test_a_slot_search_outside_the_bookable_range_is_a_plain_400(desk, doctor, query):
    response = desk.get(f"/api/v1/slots/?treatment_type=migraine&kind=exam&{query}")
    assert response.status_code == 400, response.content[:500]
    words = " ".join(" ".join(v) for v in response.json().values())
    assert "2 years ahead" in words or "Choose a date between" in words


def test_a_slot_search_across_the_horizon_stops_at_its_last_day(desk, doctor):
    response = desk.get(
        "/api/v1/slots/?treatment_type=migraine&kind=exam&from=2028-02-28&to=2028-03-10"
    )
    assert response.status_code == 200, response.content[:500]
    days = {slot["start"][:10] for slot in response.json()}
    assert days == {"2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"}


@pytest.mark.parametrize("param", ["due_before", "due_after"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_recall_due_date_filter_outside_the_range_is_a_plain_400(desk, param, day):
    response = desk.get(f"/api/v1/recalls/?{param}={day}")
    assert response.status_code == 400, response.content[:500]
    assert "Choose a date between" in " ".join(response.json()[param])


@pytest.mark.parametrize(
    ("born", "words"),
    [
        ("0001-01-01", "1 January 1900"),
        ("1850-06-01", "1 January 1900"),
        ("2026-03-03", "future"),
        ("9999-12-31", "future"),
        ("31/12/1980", "YYYY-MM-DD"),
        ("1980-02-30", "YYYY-MM-DD"),
    ],
)
def test_a_date_of_birth_outside_1900_to_today_is_refused_in_plain_words(desk, born, words):
    response = desk.post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Silva", "phone": "4165550123", "date_of_birth": born},
        format="json",
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()["date_of_birth"])
    assert not Patient.objects.exists()


@pytest.mark.parametrize("born", ["1900-01-01", "2026-03-02", "", None])
def test_a_date_of_birth_from_1900_to_today_or_none_is_accepted(desk, born):
    response = desk.post(
        "/api/v1/patients/",
        {"first_name": "Ana", "last_name": "Silva", "phone": "4165550123", "date_of_birth": born},
        format="json",
    )
    assert response.status_code == 201, response.json()
    expected = None if born in ("", None) else born
    assert response.json()["date_of_birth"] == expected


def test_a_date_of_birth_in_the_future_is_refused_on_patch_and_nothing_changes(desk, patient):
    response = desk.patch(
        f"/api/v1/patients/{patient.pk}/", {"date_of_birth": "2027-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "future" in " ".join(response.json()["date_of_birth"])
    patient.refresh_from_db()
    assert patient.date_of_birth == date(1980, 5, 17)  # as it was


# --- units and prescriptions out of range -------------------------------------------------


@pytest.mark.parametrize("units", [601, 40000])
def test_planned_units_above_600_are_refused_by_the_api(clinician, patient, doctor, units):
    response = book(
        clinician,
        patient=patient,
        practitioner=doctor,
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3, 10),
        planned_units=units,
        override_reason="Specialist's instruction",
    )
    assert response.status_code == 400
    assert "600" in " ".join(response.json()["planned_units"])


def test_a_prescription_valid_until_year_9999_is_refused(clinician, patient, doctor):
    AppointmentFactory(
        patient=patient,
        kind=Kind.EXAM,
        status=Status.COMPLETED,
        start_at=at(2026, 2, 2, 9),
        diagnosis="Chronic migraine",
    )
    visit = AppointmentFactory(
        patient=patient,
        practitioner=doctor,
        kind=Kind.PRESCRIPTION,
        start_at=at(2026, 3, 2, 7),
        status=Status.CHECKED_IN,
    )
    response = act(
        clinician, visit.pk, "complete", units_per_session=155, sessions=4, valid_until="9999-12-31"
    )
    assert response.status_code == 400
    assert "2 March 2028" in " ".join(response.json()["valid_until"])
    assert not Prescription.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/appointments/?patient=",
        "/api/v1/appointments/?practitioner=",
        "/api/v1/courses/?patient=",
        "/api/v1/recalls/?patient=",
        "/api/v1/recalls/?practitioner=",
        "/api/v1/messages/?patient=",
    ],
)
def test_an_id_filter_beyond_any_id_is_a_field_error_on_every_database(url):
    # SQLite cannot compare a number above 2**63 (it answered 500); no row has one anyway.
    response = client_for("manager").get(url + "9" * 24)
    assert response.status_code == 400
    assert list(response.json()) == [url.rsplit("?", 1)[1].rstrip("=")]
