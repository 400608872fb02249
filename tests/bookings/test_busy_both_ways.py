"""The busy-time read gives the same answer written in SQL (PostgreSQL) and by the ORM.

``get_busy`` runs one statement written out on PostgreSQL, where the slot budgets are
measured, and the ORM's union elsewhere (docs/architecture.md). Here both read the same
calendar: appointments live and cancelled, time off, the patient's own visits with
other practitioners, a visit being moved, and rows outside the range.
"""

from datetime import date, timedelta

import pytest
from django.db import connection

from bookings.busy import PATIENT_BUSY, _busy_orm, _busy_sql, get_busy
from bookings.models import Status
from scheduler.models import TimeOff
from scheduler.selectors import range_bounds
from scheduler.slots import to_micros
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _calendar():
    doctor, nurse, elsewhere = (PractitionerFactory() for _ in range(3))
    patient = PatientFactory()
    kept = AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 9))
    moving = AppointmentFactory(practitioner=doctor, patient=patient, start_at=at(2026, 3, 3, 11))
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 3, 13), status=Status.CANCELLED)
    AppointmentFactory(practitioner=nurse, start_at=at(2026, 3, 4, 9) + timedelta(microseconds=7))
    AppointmentFactory(practitioner=elsewhere, patient=patient, start_at=at(2026, 3, 5, 10))
    AppointmentFactory(
        practitioner=elsewhere, patient=patient, start_at=at(2026, 3, 5, 14), status=Status.NO_SHOW
    )
    AppointmentFactory(practitioner=doctor, start_at=at(2026, 3, 12, 9))  # after the range
    TimeOff.objects.create(
        practitioner=nurse, start_at=at(2026, 3, 1, 12), end_at=at(2026, 3, 2, 12)
    )  # begins before the range
    return [doctor.pk, nurse.pk], patient, moving, kept


def _sorted(busy):
    return {pid: sorted(spans) for pid, spans in busy.items()}


@pytest.mark.parametrize("with_patient", [False, True])
@pytest.mark.parametrize("moving_it", [False, True])
def test_the_sql_and_the_orm_read_the_same_busy_time(with_patient, moving_it):
    ids, patient, moving, kept = _calendar()
    start, end = range_bounds(date(2026, 3, 2), date(2026, 3, 6))
    patient_id = patient.pk if with_patient else None
    exclude_id = moving.pk if moving_it else None
    orm = _sorted(_busy_orm(ids, start, end, patient_id=patient_id, exclude_id=exclude_id))
    # What it must hold, whichever way it was read.
    assert (to_micros(kept.start_at), to_micros(kept.end_at)) in orm[ids[0]]
    assert ((to_micros(moving.start_at), to_micros(moving.end_at)) in orm[ids[0]]) is not moving_it
    assert len(orm[ids[1]]) == 2  # the nurse's visit and time off
    assert len(orm.get(PATIENT_BUSY, [])) == (0 if not with_patient else 1 if moving_it else 2)
    if connection.vendor == "postgresql":
        assert (
            _sorted(_busy_sql(ids, start, end, patient_id=patient_id, exclude_id=exclude_id)) == orm
        )
    assert _sorted(get_busy(ids, start, end, patient_id=patient_id, exclude_id=exclude_id)) == orm
