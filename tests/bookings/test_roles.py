"""Who may call what (docs/rules.md#roles): every endpoint × anonymous, front desk, clinician, manager.

The clients authenticate the way an integrator does: a token from /auth/token/ in an
``Authorization: Token …`` header.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from bookings.models import Appointment, Status
from tests.clock import NOW, at, frozen_at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-42"
ROLES = ("anonymous", "front_desk", "clinician", "manager")


@dataclass
class World:
    patient_id: int
    practitioner_id: int
    course_id: int
    tomorrow: Appointment  # booked exam tomorrow
    today: Appointment  # booked exam today at 09:00
    arrived: Appointment  # checked-in exam today at 07:30 (already started)
    missed: Appointment  # booked exam today at 07:00 (already started)


@pytest.fixture
def world() -> World:
    doctor = PractitionerFactory()
    patient = PatientFactory()

    def exam(start_at, status=Status.BOOKED):
        return AppointmentFactory(
            patient=patient, practitioner=doctor, start_at=start_at, status=status
        )

    tomorrow = exam(at(2026, 3, 3, 10))
    return World(
        patient_id=patient.pk,
        practitioner_id=doctor.pk,
        course_id=tomorrow.course_id,
        tomorrow=tomorrow,
        today=exam(at(2026, 3, 2, 9)),
        arrived=exam(at(2026, 3, 2, 7, 30), Status.CHECKED_IN),
        missed=exam(at(2026, 3, 2, 7)),
    )


Call = Callable[[APIClient, World], Any]


def _get(path: str) -> Call:
    return lambda c, w: c.get(path.format(w=w))


def _post(path: str, data: dict[str, Any] | Callable[[World], dict[str, Any]]) -> Call:
    return lambda c, w: c.post(path.format(w=w), data(w) if callable(data) else data, format="json")


def _patch(path: str, data: dict[str, Any]) -> Call:
    return lambda c, w: c.patch(path.format(w=w), data, format="json")


READ, BOOK, CLINICAL = "read", "book", "clinical"
ENDPOINTS: dict[str, tuple[str, Call, int]] = {
    "treatment-types": (READ, _get("/api/v1/treatment-types/"), 200),
    "treatment-type": (READ, _get("/api/v1/treatment-types/migraine/"), 200),
    "practitioners": (READ, _get("/api/v1/practitioners/"), 200),
    "patients list": (READ, _get("/api/v1/patients/?search=Example"), 200),
    "patient": (READ, _get("/api/v1/patients/{w.patient_id}/"), 200),
    "patient create": (
        BOOK,
        _post(
            "/api/v1/patients/", {"first_name": "Ana", "last_name": "Li", "phone": "416 555 0111"}
        ),
        201,
    ),
    "patient patch": (BOOK, _patch("/api/v1/patients/{w.patient_id}/", {"email": "a@b.ca"}), 200),
    "slots": (
        READ,
        _get("/api/v1/slots/?treatment_type=migraine&kind=exam&from=2026-03-02&to=2026-03-06"),
        200,
    ),
    "appointments list": (READ, _get("/api/v1/appointments/?date=2026-03-02"), 200),
    "appointment": (READ, _get("/api/v1/appointments/{w.today.pk}/"), 200),
    "appointment create": (
        BOOK,
        _post(
            "/api/v1/appointments/",
            lambda w: {
                "patient": w.patient_id,
                "practitioner": w.practitioner_id,
                "treatment_type": "migraine",
                "kind": "exam",
                "start": at(2026, 3, 4, 14).isoformat(),
            },
        ),
        201,
    ),
    "confirm": (BOOK, _post("/api/v1/appointments/{w.tomorrow.pk}/confirm/", {}), 200),
    "check-in": (BOOK, _post("/api/v1/appointments/{w.today.pk}/check-in/", {}), 200),
    "cancel": (BOOK, _post("/api/v1/appointments/{w.tomorrow.pk}/cancel/", {"reason": "Ill"}), 200),
    "no-show": (BOOK, _post("/api/v1/appointments/{w.missed.pk}/no-show/", {}), 200),
    "move": (
        BOOK,
        _post(
            "/api/v1/appointments/{w.tomorrow.pk}/move/",
            {"start": at(2026, 3, 3, 15).isoformat()},
        ),
        200,
    ),
    "complete": (
        CLINICAL,
        _post("/api/v1/appointments/{w.arrived.pk}/complete/", {"diagnosis": "Chronic migraine"}),
        200,
    ),
    "courses list": (READ, _get("/api/v1/courses/?patient={w.patient_id}"), 200),
    "course": (READ, _get("/api/v1/courses/{w.course_id}/"), 200),
    "course recall interval": (
        CLINICAL,
        _patch("/api/v1/courses/{w.course_id}/", {"recall_interval_days": 120}),
        200,
    ),
}
ALLOWED = {
    "anonymous": set(),
    "front_desk": {READ, BOOK},
    "clinician": {READ, BOOK, CLINICAL},
    "manager": {READ},
}


def token_client(role: str) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    UserFactory(username=role, groups=[role], password=PASSWORD)
    response = client.post(
        "/api/v1/auth/token/", {"username": role, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_role_reaches_only_what_it_may(world, role, endpoint):
    need, call, success = ENDPOINTS[endpoint]
    client = token_client(role)
    with frozen_at(NOW):
        response = call(client, world)
    if role == "anonymous":
        expected = 401
    elif need in ALLOWED[role]:
        expected = success
    else:
        expected = 403
    assert response.status_code == expected, (role, endpoint, response.content)


def test_a_token_needs_the_right_password():
    UserFactory(username="frontdesk", groups=["front_desk"], password=PASSWORD)
    client = APIClient()
    wrong = client.post("/api/v1/auth/token/", {"username": "frontdesk", "password": "nope"})
    assert wrong.status_code == 400
    assert "token" not in wrong.json()


def test_a_bad_token_is_unauthenticated():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert client.get("/api/v1/treatment-types/").status_code == 401


def test_a_user_without_a_clinic_role_is_forbidden():
    User.objects.create_user("visitor", password=PASSWORD)
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "visitor", "password": PASSWORD})
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/patients/").status_code == 403


def test_a_superuser_may_do_everything(world):
    User.objects.create_superuser("root", password=PASSWORD)
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "root", "password": PASSWORD})
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    with frozen_at(NOW):
        _, call, success = ENDPOINTS["complete"]
        assert call(client, world).status_code == success


@pytest.mark.django_db
def test_the_system_has_no_role_and_is_stored_as_nobody():
    # A patient's text or a sweep acts as None: it may do nothing a role gates, and the
    # audit trail says "the system", never an anonymous user object.
    from django.contrib.auth.models import AnonymousUser

    from bookings import roles

    clinician = UserFactory(groups=["clinician"])
    assert roles.roles_of(None) == set() and not roles.can_book(None)
    assert roles.recorded_by(None) is None
    assert roles.recorded_by(AnonymousUser()) is None
    assert roles.recorded_by(clinician) == clinician
