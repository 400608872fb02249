"""/api/v1/waitlist/: adding, listing, removing, and every refusal in plain words."""

import pytest

from bookings.models import AuditEntry, Patient
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from tests.bookings.support import client_for
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory
from tests.histories import written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/api/v1/waitlist/"


def entry(patient_id: int, **changes):
    return {
        "patient": patient_id,
        "treatment_type": "migraine",
        "kind": "injection",
        "earliest_on": "2026-03-03",
        "latest_on": "2026-03-31",
        **changes,
    }


@pytest.fixture
def ready() -> int:
    """A migraine patient with a written prescription: an injection is the next step."""
    return written_prescription(PatientFactory()).course.patient_id


def test_front_desk_puts_a_patient_on_the_waitlist_with_the_fields_of_the_api(desk, ready):
    doctor = PractitionerFactory()
    made = desk.post(
        URL,
        entry(ready, practitioner=doctor.pk, parts_of_day=["morning"]),
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert set(body) == {
        "id",
        "patient",
        "treatment_type",
        "kind",
        "earliest_on",
        "latest_on",
        "practitioner",
        "parts_of_day",
        "status",
    }
    assert body["status"] == "waiting" and body["parts_of_day"] == ["morning"]
    assert AuditEntry.objects.filter(patient_id=ready, action="waitlist_added").exists()


def test_latest_before_earliest_is_refused(desk, ready):
    answer = desk.post(URL, entry(ready, latest_on="2026-03-02"), format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "latest_before_earliest"
    assert not WaitlistEntry.objects.exists()


def test_a_step_the_pathway_does_not_allow_yet_is_refused_with_its_rule(desk):
    patient = PatientFactory()  # no exam, no prescription
    answer = desk.post(URL, entry(patient.pk), format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "prescription_required"
    assert not WaitlistEntry.objects.exists()


def test_a_second_live_entry_for_the_same_step_is_refused(desk, ready):
    assert desk.post(URL, entry(ready), format="json").status_code == 201
    again = desk.post(URL, entry(ready, earliest_on="2026-03-10"), format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "already_on_waitlist"
    assert WaitlistEntry.objects.count() == 1


def test_dates_all_past_or_beyond_the_horizon_are_refused(desk, ready):
    past = desk.post(
        URL, entry(ready, earliest_on="2026-02-01", latest_on="2026-02-20"), format="json"
    )
    assert past.status_code == 400 and past.json()["code"] == "window_in_the_past"
    far = desk.post(
        URL, entry(ready, earliest_on="2029-01-01", latest_on="2029-02-01"), format="json"
    )
    assert far.status_code == 400 and far.json()["code"] == "window_too_far_ahead"


def test_an_unknown_part_of_the_day_is_a_field_error(desk, ready):
    answer = desk.post(URL, entry(ready, parts_of_day=["night"]), format="json")
    assert answer.status_code == 400 and "parts_of_day" in answer.json()


def test_removing_keeps_the_entry_as_removed_and_a_new_one_may_follow(desk, ready):
    made = desk.post(URL, entry(ready), format="json").json()
    gone = desk.delete(f"{URL}{made['id']}/")
    assert gone.status_code == 200 and gone.json()["status"] == "removed"
    assert WaitlistEntry.objects.get(pk=made["id"]).end_reason == "removed"
    assert desk.post(URL, entry(ready), format="json").status_code == 201


def test_the_list_filters_by_patient_status_and_day(desk, ready):
    other = written_prescription(PatientFactory()).course.patient_id
    desk.post(URL, entry(ready), format="json")
    later = desk.post(
        URL, entry(other, earliest_on="2026-04-01", latest_on="2026-04-30"), format="json"
    ).json()
    assert [e["patient"] for e in desk.get(URL, {"patient": ready}).json()["results"]] == [ready]
    on_day = desk.get(URL, {"on": "2026-04-15"}).json()["results"]
    assert [e["id"] for e in on_day] == [later["id"]]
    assert desk.get(URL, {"status": "booked"}).json()["results"] == []
    assert desk.get(URL, {"status": "nonsense"}).status_code == 400


def test_a_manager_reads_the_waitlist_but_cannot_change_it(ready):
    manager = client_for("manager")
    assert manager.get(URL).status_code == 200
    assert manager.post(URL, entry(ready), format="json").status_code == 403


def test_a_patient_already_booked_waits_to_be_moved_earlier(desk, ready):
    booked = AppointmentFactory(
        patient=Patient.objects.get(pk=ready),
        kind="injection",
        start_at=at(2026, 4, 20),
        planned_units=155,
    )
    made = desk.post(URL, entry(ready), format="json")
    assert made.status_code == 201, made.json()
    assert WaitlistEntry.objects.get().appointment == booked
    assert WaitlistEntry.objects.get().status == WaitlistStatus.WAITING
