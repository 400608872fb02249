import pytest
from django.test import Client

from bookings import services
from tests.factories import PatientFactory, PractitionerFactory, UserFactory, treatment


@pytest.fixture
def users(db):
    return {
        role: UserFactory(username=role, first_name=role.replace("_", " ").title(), groups=[role])
        for role in ("front_desk", "clinician", "manager")
    }


@pytest.fixture
def client_for(users):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture
def doctor(db):
    return PractitionerFactory(name="Dr. Amelia Hart")


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Maria", last_name="Lopez", phone="+14165550123")


@pytest.fixture
def book(users, doctor):
    """Book through the service, as a clinician, and return the appointment."""

    def make(patient, kind: str, start, code: str = "migraine", **extra):
        return services.book_appointment(
            patient=patient,
            practitioner=extra.pop("practitioner", doctor),
            treatment=treatment(code),
            kind=kind,
            start_at=start,
            by=users["clinician"],
            **extra,
        )

    return make
