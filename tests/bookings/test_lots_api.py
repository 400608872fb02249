"""/api/v1/lots/: who may add lots, the stock each shows, and a lot's recall list."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import lots
from bookings.lots_read import list_lot_patients
from bookings.models import Status
from scheduler.models import Lot
from tests.bookings.support import act, client_for
from tests.clock import at, frozen_at
from tests.factories import AppointmentFactory, LotFactory, PatientFactory, PractitionerFactory
from tests.histories import written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NEW_LOT = {
    "product": "Botox",
    "lot_number": "C9001",
    "expires_on": "2026-09-30",
    "vials_received": 2,
    "units_per_vial": 100,
}


@pytest.mark.parametrize("role", ["clinician", "manager"])
def test_clinicians_and_managers_add_a_lot_and_see_its_stock(role):
    response = client_for(role).post("/api/v1/lots/", NEW_LOT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {**NEW_LOT, "id": body["id"], "units_left": 200}


def test_the_front_desk_reads_lots_but_cannot_add_one():
    LotFactory(lot_number="C1")
    desk = client_for("front_desk")
    assert [row["lot_number"] for row in desk.get("/api/v1/lots/").json()["results"]] == ["C1"]
    refused = desk.post("/api/v1/lots/", NEW_LOT, format="json")
    assert refused.status_code == 403
    assert not Lot.objects.filter(lot_number="C9001").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lot_number": "C1"}, "lot_number"),  # already on record
        ({"expires_on": "2026-03-01"}, "expires_on"),  # expired yesterday
        ({"vials_received": 0}, "vials_received"),
        ({"units_per_vial": -100}, "units_per_vial"),
        ({"expires_on": "soon"}, "expires_on"),
    ],
)
def test_a_lot_that_cannot_be_right_is_a_field_error(change, field):
    LotFactory(product="Botox", lot_number="C1")
    response = client_for("clinician").post("/api/v1/lots/", {**NEW_LOT, **change}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Lot.objects.count() == 1


def test_stock_is_received_less_given_less_discarded():
    clinician = client_for("clinician")
    lot = LotFactory(vials_received=2, units_per_vial=100)
    with frozen_at(at(2026, 3, 2, 6, 50)):
        vial = lots.open_vial(lot=lot, diluent_ml=Decimal("2.5"), by=clinician.user)
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    injection = AppointmentFactory(
        patient=patient, kind="injection", start_at=at(2026, 3, 2, 7), planned_units=40
    )
    recorded = act(clinician, injection.pk, "complete", units=40, lot=lot.pk, vial=vial.pk)
    assert recorded.status_code == 200, recorded.json()
    lots.close_vial(vial=vial, by=clinician.user)
    vial.refresh_from_db()
    assert (vial.units_drawn, vial.discarded_units) == (40, 60)
    body = client_for("front_desk").get(f"/api/v1/lots/{lot.pk}/").json()
    assert body["units_left"] == 200 - 40 - 60


def _given(lot, practitioner, day: int, units: int, status=Status.COMPLETED, **extra):
    return AppointmentFactory(
        practitioner=practitioner,
        kind="injection",
        start_at=at(2026, 2, day, 10),
        status=status,
        units_given=units,
        product_lot=lot,
        product=lot.product,
        lot=lot.lot_number,
        **extra,
    )


def test_the_recall_list_names_every_patient_of_a_lot_used_by_several_practitioners(
    django_assert_num_queries,
):
    lot, other = LotFactory(lot_number="R1"), LotFactory(lot_number="R2")
    adams, baker, chen = (
        PractitionerFactory(name=n) for n in ("Dr. Adams", "Dr. Baker", "NP Chen")
    )
    first = _given(lot, baker, 10, 155)
    second = _given(lot, adams, 3, 20)
    third = _given(lot, chen, 17, 50)
    _given(other, adams, 4, 30)  # another lot
    _given(lot, chen, 18, 40, status=Status.CANCELLED)  # never given
    with django_assert_num_queries(1):
        rows = list(list_lot_patients(lot=lot))
        assert [r.practitioner.name for r in rows] == ["Dr. Adams", "Dr. Baker", "NP Chen"]
    body = client_for("front_desk").get(f"/api/v1/lots/{lot.pk}/patients/").json()
    assert body == [
        {
            "appointment": a.pk,
            "patient": a.patient_id,
            "patient_name": a.patient.full_name,
            "date": a.start_at.date().isoformat(),
            "units": a.units_given,
            "practitioner": a.practitioner.name,
        }
        for a in (second, first, third)
    ]


def test_the_recall_list_costs_the_same_queries_for_one_patient_or_many(
    django_assert_max_num_queries,
):
    lot = LotFactory()
    doctor = PractitionerFactory()
    _given(lot, doctor, 2, 10)
    client = client_for("manager")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"/api/v1/lots/{lot.pk}/patients/").json()) == 1
    for day in range(3, 13):
        _given(lot, PractitionerFactory(), day, 10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(f"/api/v1/lots/{lot.pk}/patients/").json()) == 11


def test_an_unknown_lots_recall_is_not_found():
    response = client_for("clinician").get("/api/v1/lots/999999/patients/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_lot_expiring_is_listed_by_date():
    LotFactory(lot_number="LATE", expires_on=date(2027, 1, 1))
    LotFactory(lot_number="SOON", expires_on=date(2026, 4, 1))
    rows = client_for("front_desk").get("/api/v1/lots/").json()["results"]
    assert [r["lot_number"] for r in rows] == ["SOON", "LATE"]


@pytest.mark.parametrize("pk", ["null,null", "abc", "-1", "99999999999999999999"])
def test_a_lot_id_that_is_no_number_is_not_found(pk):
    client = client_for("clinician")
    assert client.get(f"/api/v1/lots/{pk}/patients/").status_code == 404
    assert client.get(f"/api/v1/lots/{pk}/").status_code == 404
