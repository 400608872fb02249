"""Courses over the API: the pathway step per course, and the clinician's recall interval."""

import pytest

from bookings.models import Status
from scheduler.models import Kind
from tests.bookings.support import client_for
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, PrescriptionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_each_course_shows_its_step_and_prescription():
    patient = PatientFactory()
    AppointmentFactory(patient=patient, treatment_code="frown-lines", start_at=at(2026, 3, 3))
    AppointmentFactory(
        patient=patient, start_at=at(2026, 2, 2, 9), status=Status.COMPLETED, diagnosis="Migraine"
    )
    PrescriptionFactory(
        appointment__patient=patient, appointment__start_at=at(2026, 2, 2, 9, 30), sessions=4
    )
    AppointmentFactory(patient=patient, kind=Kind.INJECTION, start_at=at(2026, 3, 4))
    courses = client_for("front_desk").get("/api/v1/courses/", {"patient": patient.pk}).json()
    by_type = {c["treatment_type"]: c for c in courses["results"]}
    assert by_type["frown-lines"]["step"] == {"code": "exam_booked", "label": "Consultation booked"}
    assert by_type["frown-lines"]["prescription"] is None
    assert by_type["migraine"]["step"]["code"] == "injection_booked"
    assert by_type["migraine"]["prescription"]["sessions"] == 4
    assert by_type["migraine"]["effective_recall_interval_days"] == 90


def test_listing_courses_takes_the_same_queries_for_one_or_many():
    client = client_for("manager")
    client.get("/api/v1/courses/")  # warm the user's role cache

    def queries_for_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/courses/").status_code == 200
        return len(ctx.captured_queries)

    AppointmentFactory(start_at=at(2026, 3, 3))
    one = queries_for_list()
    for day in range(4, 14):
        AppointmentFactory(treatment_code="neck-pain", start_at=at(2026, 3, day % 7 + 3, 11))
    assert queries_for_list() == one


def test_a_clinician_tailors_the_recall_interval_within_56_to_365_days():
    course = AppointmentFactory(start_at=at(2026, 3, 3)).course
    client = client_for("clinician")
    url = f"/api/v1/courses/{course.pk}/"
    ok = client.patch(url, {"recall_interval_days": 120}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["effective_recall_interval_days"] == 120
    for days in (55, 366):
        refused = client.patch(url, {"recall_interval_days": days}, format="json")
        assert refused.status_code == 400
        assert list(refused.json()) == ["recall_interval_days"]
    reset = client.patch(url, {"recall_interval_days": None}, format="json")
    assert reset.json()["effective_recall_interval_days"] == 90


def test_the_service_refuses_an_interval_out_of_range_with_its_own_code():
    # Every channel reaches the same service; its refusal names the rule, not a status change.
    from bookings import services
    from bookings.errors import PathwayError
    from tests.factories import UserFactory

    course = AppointmentFactory(start_at=at(2026, 3, 3)).course
    for days in (55, 366):
        with pytest.raises(PathwayError) as refused:
            services.set_recall_interval(
                course=course, days=days, by=UserFactory(groups=["clinician"])
            )
        assert refused.value.code == "recall_interval_out_of_range"
        assert "56 to 365 days" in refused.value.message
