"""/api/v1/authorizations/ and a course's funding: who may write, usage, bad input."""

import pytest

from bookings.models import AuditEntry, Authorization, Course, Funding
from tests.bookings.support import book, client_for
from tests.clock import at
from tests.factories import PatientFactory, PractitionerFactory
from tests.histories import written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/api/v1/authorizations/"


@pytest.fixture
def course() -> Course:
    rx = written_prescription(PatientFactory())
    rx.course.funding = Funding.INSURANCE
    rx.course.save(update_fields=["funding"])
    return rx.course


def fields(course: Course, **changes):
    return {
        "course": course.pk,
        "payer": "Sun Life",
        "number": "PA-2026-001",
        "approved_units": 620,
        "approved_sessions": 4,
        "valid_from": "2026-03-01",
        "valid_until": "2026-08-31",
        **changes,
    }


def test_front_desk_adds_an_authorization_and_sees_what_it_has_used(desk, course):
    created = desk.post(URL, fields(course), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["sessions_used"] == 0 and body["units_used"] == 0
    booked = book(
        desk,
        patient=course.patient_id,
        practitioner=PractitionerFactory(),
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    )
    assert booked.status_code == 201, booked.json()
    again = desk.get(f"{URL}{body['id']}/").json()
    assert (again["sessions_used"], again["units_used"]) == (1, 155)


def test_a_manager_reads_authorizations_but_cannot_write_them(course):
    manager = client_for("manager")
    assert manager.post(URL, fields(course), format="json").status_code == 403
    assert manager.get(URL, {"course": course.pk}).status_code == 200


def test_a_clinician_adds_an_authorization(course):
    assert client_for("clinician").post(URL, fields(course), format="json").status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_until": "2026-02-28"}, "valid_until"),
        ({"approved_units": 0}, "approved_units"),
        ({"approved_units": -5}, "approved_units"),
        ({"approved_sessions": 0}, "approved_sessions"),
        ({"approved_sessions": -1}, "approved_sessions"),
        ({"approved_units": 10**12}, "approved_units"),
        ({"payer": "   "}, "payer"),
        ({"valid_from": "9999-12-31", "valid_until": "9999-12-31"}, "valid_from"),
    ],
)
def test_bad_input_is_refused_by_its_field_and_nothing_is_written(desk, course, changes, field):
    response = desk.post(URL, fields(course, **changes), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not Authorization.objects.exists()


def test_an_authorization_on_a_self_pay_course_is_refused(desk, course):
    course.funding = Funding.SELF_PAY
    course.save(update_fields=["funding"])
    response = desk.post(URL, fields(course), format="json")
    assert response.status_code == 400
    assert "self-pay" in response.json()["course"][0]


def test_overlapping_periods_on_one_course_are_refused(desk, course):
    assert desk.post(URL, fields(course), format="json").status_code == 201
    overlapping = desk.post(URL, fields(course, valid_from="2026-08-01", valid_until="2027-01-31"))
    assert overlapping.status_code == 400
    assert "overlaps" in overlapping.json()["valid_from"][0]


def test_editing_below_what_is_used_says_how_much_is_used(desk, course):
    created = desk.post(URL, fields(course), format="json").json()
    book(
        desk,
        patient=course.patient_id,
        practitioner=PractitionerFactory(),
        treatment_type="migraine",
        kind="injection",
        start=at(2026, 3, 3),
    )
    used = desk.get(f"{URL}{created['id']}/").json()["units_used"]
    assert used == 155
    sessions = desk.patch(f"{URL}{created['id']}/", {"approved_sessions": 0}, format="json")
    assert "approved_sessions" in sessions.json()
    response = desk.patch(f"{URL}{created['id']}/", {"approved_units": used - 1}, format="json")
    assert response.status_code == 400, response.json()
    assert f"{used} units are already used or booked" in response.json()["approved_units"][0]
    assert Authorization.objects.get().approved_units == 620
    shorter = desk.patch(f"{URL}{created['id']}/", {"approved_units": used}, format="json")
    assert shorter.status_code == 200


def test_the_list_filters_by_course_and_by_expiry(desk, course):
    desk.post(URL, fields(course, valid_from="2026-01-01", valid_until="2026-03-20"))
    desk.post(URL, fields(course, valid_from="2026-03-21", valid_until="2026-12-31"))
    soon = desk.get(URL, {"expiring_within": 30}).json()["results"]
    assert [a["valid_until"] for a in soon] == ["2026-03-20"]
    mine = desk.get(URL, {"course": course.pk}).json()["results"]
    assert len(mine) == 2
    assert desk.get(URL, {"expiring_within": "x"}).status_code == 400
    assert desk.get(URL, {"expiring_within": -1}).status_code == 400


def test_front_desk_sets_funding_but_not_the_recall_interval(desk, course):
    url = f"/api/v1/courses/{course.pk}/"
    assert desk.patch(url, {"funding": "self_pay"}, format="json").json()["funding"] == "self_pay"
    refused = desk.patch(url, {"funding": "insurance", "recall_interval_days": 120}, format="json")
    assert refused.status_code == 403
    course.refresh_from_db()
    # Neither change was written.
    assert (course.funding, course.recall_interval_days) == ("self_pay", None)
    assert desk.patch(url, {"funding": "gift"}, format="json").status_code == 400


def test_a_manager_cannot_change_funding(course):
    url = f"/api/v1/courses/{course.pk}/"
    assert client_for("manager").patch(url, {"funding": "self_pay"}).status_code == 403


def test_the_last_day_is_inclusive_for_expiring_within(desk, course):
    desk.post(URL, fields(course, valid_from="2026-03-01", valid_until="2026-04-01"))
    assert desk.get(URL, {"expiring_within": 30}).json()["count"] == 1
    assert desk.get(URL, {"expiring_within": 29}).json()["count"] == 0


def test_funding_and_authorization_changes_stay_in_the_audit_trail(desk, course):
    desk.patch(f"/api/v1/courses/{course.pk}/", {"funding": "self_pay"}, format="json")
    desk.patch(f"/api/v1/courses/{course.pk}/", {"funding": "insurance"}, format="json")
    created = desk.post(URL, fields(course), format="json").json()
    desk.patch(f"{URL}{created['id']}/", {"approved_units": 700}, format="json")
    trail = AuditEntry.objects.filter(patient_id=course.patient_id).order_by("id")
    assert [e.action for e in trail] == [
        "funding_changed",
        "funding_changed",
        "authorization_added",
        "authorization_changed",
    ]
    assert trail[0].detail["before"] == "insurance" and trail[0].by == desk.user
    assert trail[3].detail["approved_units"] == ["620", "700"]
