"""The patient page's insurance part: funding switch, authorization forms and usage."""

from datetime import date

import pytest

from bookings.models import Authorization, Course, Funding
from tests.clock import in_march
from tests.histories import given_injection, written_prescription

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(frozen, patient) -> Course:
    return written_prescription(patient).course


def new_fields(course: Course, **changes: str) -> dict[str, str]:
    prefix = f"new{course.pk}-"
    data = {
        "payer": "Sun Life",
        "number": "PA-77",
        "approved_sessions": "4",
        "approved_units": "620",
        "valid_from": "2026-03-01",
        "valid_until": "2027-06-03",
        "notes": "",
        **changes,
    }
    return {prefix + k: v for k, v in data.items()}


def test_front_desk_switches_a_course_to_insurance(client_for, course):
    client = client_for("front_desk")
    response = client.post(
        f"/courses/{course.pk}/funding/", {f"funding{course.pk}-funding": "insurance"}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.funding == Funding.INSURANCE
    page = client.get(f"/patients/{course.patient_id}/").content.decode()
    assert "No authorization yet" in page


def test_the_page_shows_usage_in_words(client_for, course, patient):
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    Authorization.objects.create(
        course=course,
        payer="Sun Life",
        number="PA-77",
        approved_units=620,
        approved_sessions=4,
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 3),
    )
    given_injection(patient, "migraine", in_march(2, 7), 155)
    given_injection(patient, "migraine", in_march(2, 7, 30), 155)
    page = client_for("manager").get(f"/patients/{patient.pk}/").content.decode()
    assert "2 of 4 sessions, 310 of 620 units, until 3 Jun 2027" in page
    # Managers read; they are offered no form.
    assert "Add an authorization" not in page and "Save who pays" not in page


def test_front_desk_adds_an_authorization_on_the_page(client_for, course):
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    response = client_for("front_desk").post(
        f"/courses/{course.pk}/authorizations/", new_fields(course)
    )
    assert response.status_code == 302
    assert Authorization.objects.get().number == "PA-77"


def test_a_refused_authorization_keeps_what_was_typed_and_says_why(client_for, course):
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    response = client_for("front_desk").post(
        f"/courses/{course.pk}/authorizations/",
        new_fields(course, valid_from="2026-06-01", valid_until="2026-05-01", number="KEEP-ME"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end of validity must be on or after its start." in page
    assert 'value="KEEP-ME"' in page
    assert not Authorization.objects.exists()


def test_an_authorization_on_a_self_pay_course_is_refused_on_the_page(client_for, course):
    response = client_for("front_desk").post(
        f"/courses/{course.pk}/authorizations/", new_fields(course)
    )
    assert response.status_code == 400
    assert "This course is self-pay" in response.content.decode()
    assert not Authorization.objects.exists()


def test_editing_below_what_is_used_says_how_much_on_the_page(client_for, course, patient):
    course.funding = Funding.INSURANCE
    course.save(update_fields=["funding"])
    approval = Authorization.objects.create(
        course=course,
        payer="Sun Life",
        number="PA-77",
        approved_units=620,
        approved_sessions=4,
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 3),
    )
    given_injection(patient, "migraine", in_march(2, 7), 155)
    data = {
        f"auth{approval.pk}-{k}": v
        for k, v in {
            "payer": "Sun Life",
            "number": "PA-77",
            "approved_sessions": "4",
            "approved_units": "100",
            "valid_from": "2026-01-01",
            "valid_until": "2027-06-03",
        }.items()
    }
    response = client_for("clinician").post(f"/authorizations/{approval.pk}/", data)
    assert response.status_code == 400
    assert "155 units are already used or booked" in response.content.decode()
    approval.refresh_from_db()
    assert approval.approved_units == 620


def test_a_manager_cannot_post_the_insurance_forms(client_for, course):
    response = client_for("manager").post(
        f"/courses/{course.pk}/funding/", {f"funding{course.pk}-funding": "insurance"}
    )
    assert response.status_code == 403
