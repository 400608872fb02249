"""Patients over the API: E.164 phones, consent with time and source, search."""

from datetime import datetime

import pytest

from bookings.models import Patient
from tests.clock import TZ, frozen_at
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
REGISTERED = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def create(client, **fields):
    data = {"first_name": "Ana", "last_name": "Silva", "phone": "(416) 555-0123", **fields}
    return client.post("/api/v1/patients/", data, format="json")


@pytest.mark.parametrize(
    "typed",
    ["(416) 555-0123", "416.555.0123", "+1 416 555 0123", "1-416-555-0123", "4165550123"],
)
def test_a_phone_is_stored_in_e164_whatever_was_typed(desk, typed):
    response = create(desk, phone=typed)
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "+14165550123"
    assert Patient.objects.get().phone == "+14165550123"


@pytest.mark.parametrize("typed", ["12345", "not a phone", "", "+1 000 555 0123"])
def test_an_invalid_phone_is_refused_on_the_phone_field(desk, typed):
    response = create(desk, phone=typed)
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    assert not Patient.objects.exists()


def test_a_patched_phone_is_normalised_and_gets_a_fresh_chance(desk):
    patient = PatientFactory(phone="+14165550100", phone_invalid=True)
    response = desk.patch(
        f"/api/v1/patients/{patient.pk}/", {"phone": "647 555 0188"}, format="json"
    )
    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.phone == "+16475550188"
    assert patient.phone_invalid is False
    bad = desk.patch(f"/api/v1/patients/{patient.pk}/", {"phone": "555"}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["phone"]


@frozen_at(REGISTERED)
def test_consent_is_recorded_with_its_time_and_source(desk):
    body = create(desk, sms_consent=True).json()
    assert body["sms_consent"] is True
    assert body["sms_consent_source"] == "api"
    assert datetime.fromisoformat(body["sms_consent_at"]) == REGISTERED
    assert body["sms_consent_at"].endswith("-05:00")


@frozen_at(REGISTERED)
def test_no_consent_records_no_consent_time(desk):
    body = create(desk).json()
    assert body["sms_consent"] is False
    assert body["sms_consent_at"] is None and body["sms_consent_source"] == ""


def test_consent_given_later_and_withdrawn_is_timestamped_each_time(desk):
    patient = PatientFactory(sms_consent=False, sms_consent_at=None, sms_consent_source="")
    url = f"/api/v1/patients/{patient.pk}/"
    given_at = datetime(2026, 3, 3, 10, tzinfo=TZ)
    with frozen_at(given_at):
        desk.patch(url, {"sms_consent": True}, format="json")
    with frozen_at(datetime(2026, 3, 4, 10, tzinfo=TZ)):
        desk.patch(url, {"email": "ana@example.com"}, format="json")  # consent untouched
    patient.refresh_from_db()
    assert (patient.sms_consent, patient.sms_consent_at, patient.sms_consent_source) == (
        True,
        given_at,
        "api",
    )
    withdrawn_at = datetime(2026, 3, 5, 10, tzinfo=TZ)
    with frozen_at(withdrawn_at):
        desk.patch(url, {"sms_consent": False}, format="json")
    patient.refresh_from_db()
    assert patient.sms_consent is False and patient.sms_consent_at == withdrawn_at


def test_consent_time_and_source_cannot_be_written_by_the_client(desk):
    body = create(
        desk, sms_consent=False, sms_consent_at="2020-01-01T00:00:00Z", sms_consent_source="x"
    ).json()
    assert body["sms_consent_at"] is None and body["sms_consent_source"] == ""


@frozen_at(REGISTERED)
def test_an_opt_out_is_timestamped_even_at_registration(desk):
    body = create(desk, sms_consent=True, sms_opted_out=True).json()
    assert Patient.objects.get(pk=body["id"]).sms_opted_out_at == REGISTERED


@pytest.fixture
def people():
    return {
        "ana": PatientFactory(first_name="Ana", last_name="Silva", phone="+14165550123"),
        "anne": PatientFactory(first_name="Anne", last_name="Moreau", phone="+16475550999"),
        "bo": PatientFactory(first_name="Bo", last_name="Anand", phone="+14375550123"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ana", {"ana", "bo"}),  # first name Ana, last name Anand
        ("ANNE", {"anne"}),
        ("ana silva", {"ana"}),
        ("silva ana", {"ana"}),
        ("0123", {"ana", "bo"}),
        ("416 555 0123", {"ana"}),
        ("(416) 555-0123", {"ana"}),
        ("+1 416 555 0123", {"ana"}),
        ("+14165550123", {"ana"}),
        ("647", {"anne"}),
        ("Moreau 0999", {"anne"}),
        ("nobody", set()),
    ],
)
def test_search_finds_patients_by_name_and_phone(desk, people, query, expected):
    response = desk.get("/api/v1/patients/", {"search": query})
    assert response.status_code == 200
    found = {p["id"] for p in response.json()["results"]}
    assert found == {people[name].pk for name in expected}
