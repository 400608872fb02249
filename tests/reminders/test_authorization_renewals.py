"""The renewal worklist against a hand-built clinic: the list, its CSV, the dashboard and
the front desk's header count (docs/rules.md#authorizations)."""

import csv
import io
from datetime import date

import pytest
from django.test import Client

from bookings.models import Authorization, Course, Funding
from bookings.renewals import list_renewals
from tests.clock import at
from tests.factories import PatientFactory, UserFactory, course_for
from tests.histories import given_injection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = date(2026, 3, 2)


def insured(last_name: str, *, funding: str = Funding.INSURANCE) -> Course:
    patient = PatientFactory(first_name="Pat", last_name=last_name)
    course = course_for(patient, "migraine")
    course.funding = funding
    course.save(update_fields=["funding"])
    return course


def approve(course: Course, valid_from: date, valid_until: date, sessions: int = 4, units=620):
    return Authorization.objects.create(
        course=course,
        payer="Sun Life",
        number=f"PA-{course.patient.last_name}",
        approved_units=units,
        approved_sessions=sessions,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@pytest.fixture
def clinic():
    """Who should be on the list and who should not, each for one reason."""
    ending = insured("Ending")
    approve(ending, date(2025, 10, 1), date(2026, 3, 20))
    given_injection(ending.patient, "migraine", at(2026, 1, 5), 155)

    last_session = insured("LastSession")
    approve(last_session, date(2026, 1, 1), date(2026, 12, 31), sessions=2)
    given_injection(last_session.patient, "migraine", at(2026, 2, 2), 155)

    plenty = insured("Plenty")
    approve(plenty, date(2026, 1, 1), date(2026, 12, 31))

    ended = insured("Ended")
    approve(ended, date(2025, 9, 1), date(2026, 2, 28))

    renewed = insured("Renewed")
    approve(renewed, date(2025, 9, 1), date(2026, 3, 10))
    approve(renewed, date(2026, 3, 11), date(2026, 9, 30))

    self_pay = insured("SelfPay", funding=Funding.SELF_PAY)
    approve(self_pay, date(2025, 9, 1), date(2026, 3, 10))

    on_the_day = insured("ThirtyDays")
    approve(on_the_day, date(2026, 1, 1), date(2026, 4, 1))
    one_day_more = insured("ThirtyOneDays")
    approve(one_day_more, date(2026, 1, 1), date(2026, 4, 2))


def test_the_worklist_lists_what_ends_soon_or_is_nearly_used(clinic):
    rows = list_renewals(today=TODAY)
    assert [r.patient for r in rows] == ["Pat Ending", "Pat ThirtyDays", "Pat LastSession"]
    ending, thirty, last = rows
    assert ending.why == "ends in 18 days"
    assert ending.last_injection_on == date(2026, 1, 5)
    assert ending.next_due_on == date(2026, 4, 5)  # 90 days, the migraine recall
    assert (ending.sessions_used, ending.sessions_left, ending.units_used) == (1, 3, 155)
    assert thirty.why == "ends in 30 days"
    assert last.why == "1 session left"
    assert last.next_due_on == date(2026, 5, 3)


def test_the_worklist_costs_two_queries_whatever_its_size(clinic, django_assert_num_queries):
    with django_assert_num_queries(2):
        list_renewals(today=TODAY)


def test_a_cancelled_injection_takes_a_course_off_the_list(clinic):
    course = Course.objects.get(patient__last_name="LastSession")
    course.appointments.update(status="cancelled")
    assert "Pat LastSession" not in [r.patient for r in list_renewals(today=TODAY)]


def test_the_csv_has_every_row_with_due_dates(clinic):
    client = Client()
    client.force_login(UserFactory(username="desk", groups=["front_desk"]))
    response = client.get("/follow-ups/renewals.csv")
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Patient ID", "Patient", "Phone", "Treatment"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {"Pat Ending", "Pat ThirtyDays", "Pat LastSession"}
    assert by_name["Pat Ending"]["Next due on"] == "2026-04-05"
    assert by_name["Pat Ending"]["Last injection on"] == "2026-01-05"
    assert by_name["Pat LastSession"]["Sessions left"] == "1"


def test_the_dashboard_shows_the_worklist_to_managers(clinic):
    client = Client()
    client.force_login(UserFactory(username="boss", groups=["manager"]))
    page = client.get("/follow-ups/").content.decode()
    assert (
        'id="renewals-table"' in page and "Pat Ending" in page and "ends in 18 days" in page.lower()
    )
    # Managers read the list; the header count is for those who chase the insurers.
    assert 'id="renewal-badge"' not in page


def test_the_front_desk_sees_the_count_in_the_header_and_the_list(clinic):
    client = Client()
    client.force_login(UserFactory(username="desk", groups=["front_desk"]))
    page = client.get("/patients/").content.decode()
    assert 'id="renewal-badge"' in page and "(3" in page
    worklist = client.get("/follow-ups/renewals/").content.decode()
    assert "Pat LastSession" in worklist and "Pat Plenty" not in worklist


def test_no_badge_when_nothing_needs_renewing():
    client = Client()
    client.force_login(UserFactory(username="desk", groups=["front_desk"]))
    assert 'id="renewal-badge"' not in client.get("/patients/").content.decode()
